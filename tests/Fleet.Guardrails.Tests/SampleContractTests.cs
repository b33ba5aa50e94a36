using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Guardrails.Tests;

/// <summary>Contracts inferred from the samples' reference data, checked on the reference itself and the golden rows.</summary>
public sealed class SampleContractTests
{
    private static readonly InputModes Strict = new() { RangeMode = GuardMode.Reject, MissingMode = GuardMode.Reject };
    private static readonly InputModes Flagging = new() { RangeMode = GuardMode.Flag, MissingMode = GuardMode.Flag };

    [Theory]
    [InlineData("breast-cancer", ModelTask.Classification, 426)]
    [InlineData("wine", ModelTask.Classification, 133)]
    [InlineData("diabetes", ModelTask.Regression, 331)]
    public void Every_reference_row_passes_its_own_contract(string sample, ModelTask task, int rows)
    {
        using var model = Samples.Open(sample, "model.onnx");
        var reference = Samples.Reference(sample);
        var contract = ContractInference.Infer(task, model.Inputs, model.Outputs, reference, Samples.Predictor(model), ContractInferenceOptions.Default);
        ContractInference.ValidateAgainstSignature(contract, model.Inputs, model.Outputs);
        var inputGuard = new InputGuard(contract.Input!);
        var outputGuard = new OutputGuard(contract.Output, model.Outputs);

        Assert.Equal(rows, reference.RowCount);
        Assert.Equal($"reference ({rows} rows, margin 0.1)", contract.Input!.Source);
        Assert.Equal($"reference ({rows} rows, margin 0.1)", contract.Output.Source);
        foreach (var type in new[] { TensorDataType.Fp32, TensorDataType.Fp64 })
        {
            foreach (var modes in new[] { Strict, Flagging })
            {
                var check = inputGuard.Check(reference.ToTensor("input", type), modes);
                Assert.Equal(0, check.ViolationCount);
                Assert.False(check.Reject);
                Assert.Empty(check.Violations);
                Assert.Empty(check.CountsByRule);
            }
        }

        Assert.Same(OutputCheck.Passed, outputGuard.Check(Samples.Predictor(model)(reference)));
    }

    /// <summary>
    /// Held-out rows may lie beyond the training range + 10%: two of wine's 20 golden rows do (flavanoids 5.08 against a
    /// reference max of 3.74, proline 1680 against 1547). With the default modes they are flagged, not rejected.
    /// </summary>
    [Theory]
    [InlineData("breast-cancer", ModelTask.Classification, new string[0])]
    [InlineData("diabetes", ModelTask.Regression, new string[0])]
    [InlineData("wine", ModelTask.Classification, new[] { "5 flavanoids: value 5.08 is above max 4.60203" })]
    public void Golden_rows_pass_or_are_only_flagged(string sample, ModelTask task, string[] flagged)
    {
        using var model = Samples.Open(sample, "model.onnx");
        var contract = ContractInference.Infer(task, model.Inputs, model.Outputs, Samples.Reference(sample), Samples.Predictor(model), ContractInferenceOptions.Default);
        var golden = Samples.RequestInput(Samples.Path(sample, "golden.json"), "request");

        var check = new InputGuard(contract.Input!).Check(golden, InputModes.Default);
        var outputs = new OutputGuard(contract.Output, model.Outputs).Check(model.Run([golden]));

        Assert.False(check.Reject);
        Assert.Equal(flagged, check.Violations.Select(v => $"{v.Row} {v.Feature}: {v.Detail}"));
        Assert.True(outputs.Ok, outputs.Summary);
    }

    [Fact]
    public void Breast_cancer_ranges_respect_sign_and_scale_positive_on_the_log_scale_zero_floored()
    {
        using var model = Samples.Open("breast-cancer", "model.onnx");
        var reference = Samples.Reference("breast-cancer");

        var contract = ContractInference.Infer(ModelTask.Classification, model.Inputs, model.Outputs, reference, null, ContractInferenceOptions.Default);

        var features = contract.Input!.Features;
        Assert.Equal("input", contract.Input.Input);
        Assert.Equal(30, features.Length);
        AssertRange(features[0], "mean_radius", 6.981, 28.11);
        AssertRange(features[3], "mean_area", 143.5, 2501.0);
        AssertRange(features[29], "worst_fractal_dimension", 0.05504, 0.2075);
        for (var f = 0; f < features.Length; f++)
        {
            var column = Enumerable.Range(0, reference.RowCount).Select(r => reference.Row(r)[f]).ToArray();
            AssertRange(features[f], reference.FeatureNames[f], column.Min(), column.Max());
            Assert.Equal(f, features[f].Index);
            Assert.False(features[f].AllowMissing);
            Assert.Null(features[f].Categories);
        }

        Assert.Equal(
            [new OutputRule("probabilities", OutputKind.Probabilities, null, null, 2), new OutputRule("label", OutputKind.Labels, null, null, 2)],
            contract.Output.Outputs);
    }

    [Fact]
    public void On_breast_cancer_a_unit_change_is_out_of_range_a_tenth_or_tenfold_of_any_feature_always_and_the_reference_always_in()
    {
        using var model = Samples.Open("breast-cancer", "model.onnx");
        var reference = Samples.Reference("breast-cancer");
        var features = ContractInference.Infer(ModelTask.Classification, model.Inputs, model.Outputs, reference, null, ContractInferenceOptions.Default).Input!.Features;

        // Issue 12: mean area [143.5, 2501] was widened to [-92, 2737]; divided by 100 (1.4..25) it passed.
        var area = features[3];
        Assert.Equal("mean_area", area.Name);
        Assert.Equal(143.5 / 3, area.Min!.Value);
        Assert.InRange(area.Max!.Value, 3320, 3330);
        var rows = Enumerable.Range(0, reference.RowCount).Select(r => reference.Row(r).ToArray()).ToArray();
        Assert.All(rows, r => Assert.InRange(r[3] / 100, double.NegativeInfinity, area.Min!.Value - 1));
        foreach (var rule in features)
        {
            var column = rows.Select(r => r[rule.Index]).ToArray();
            Assert.All(column, v => Assert.InRange(v, rule.Min!.Value, rule.Max!.Value));
            // Never negative in the reference: never negative in the contract.
            Assert.True(column.Min() < 0 || rule.Min >= 0, rule.Name);
            // A tenth of the smallest and ten times the largest value are out, for every feature that is positive.
            if (column.Min() > 0)
            {
                Assert.True(column.Min() / 10 < rule.Min && column.Max() * 10 > rule.Max, rule.Name);
            }
        }
    }

    [Fact]
    public void Diabetes_sex_is_categorical_age_is_not_and_the_prediction_range_comes_from_the_model()
    {
        using var model = Samples.Open("diabetes", "model.onnx");
        var reference = Samples.Reference("diabetes");

        var contract = ContractInference.Infer(ModelTask.Regression, model.Inputs, model.Outputs, reference, Samples.Predictor(model), ContractInferenceOptions.Default);

        var age = contract.Input!.Features[0];
        var sex = contract.Input.Features[1];
        Assert.Equal(("age", (long[]?)null), (age.Name, age.Categories));
        Assert.Equal("sex", sex.Name);
        Assert.Equal([1L, 2L], sex.Categories!);
        // Positive: the wider of the linear margin (0.1) and the log-scale one (2^0.1) on each side.
        Assert.Equal((1 - 0.1, 2 * Math.Pow(2, 0.1)), (sex.Min!.Value, sex.Max!.Value));
        var predictions = ((float[])model.Run([reference.ToTensor("input", TensorDataType.Fp32)])[0].Data).Select(v => (double)v).ToArray();
        var (min, max) = (predictions.Min(), predictions.Max());
        var rule = Assert.Single(contract.Output.Outputs);
        // Positive predictions: the lower bound keeps the linear margin (the wider), the upper takes the log-scale one.
        Assert.Equal(new OutputRule("prediction", OutputKind.Values, min - (0.1 * (max - min)), Math.Max(max + (0.1 * (max - min)), max * Math.Pow(max / min, 0.1)), null), rule);
    }

    [Fact]
    public void Median_and_mad_are_over_the_reference_column()
    {
        using var model = Samples.Open("wine", "model.onnx");
        var reference = Samples.Reference("wine");

        var contract = ContractInference.Infer(ModelTask.Classification, model.Inputs, model.Outputs, reference, null, ContractInferenceOptions.Default);

        for (var f = 0; f < reference.FeatureCount; f++)
        {
            var sorted = Enumerable.Range(0, reference.RowCount).Select(r => reference.Row(r)[f]).Order().ToArray();
            var median = sorted[sorted.Length / 2]; // 133 rows: the middle one
            var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToArray();
            Assert.Equal(median, contract.Input!.Features[f].Median);
            Assert.Equal(deviations[deviations.Length / 2], contract.Input.Features[f].Mad);
        }
    }

    [Fact]
    public void Without_reference_there_is_no_input_contract_and_no_output_ranges()
    {
        using var diabetes = Samples.Open("diabetes", "model.onnx");
        using var wine = Samples.Open("wine", "model.onnx");

        var regression = ContractInference.Infer(ModelTask.Regression, diabetes.Inputs, diabetes.Outputs, null, null, ContractInferenceOptions.Default);
        var classification = ContractInference.Infer(ModelTask.Classification, wine.Inputs, wine.Outputs, null, null, ContractInferenceOptions.Default);

        Assert.Null(regression.Input);
        Assert.Equal(new OutputContract([new OutputRule("prediction", OutputKind.Values, null, null, null)], "signature only (no reference data)").Outputs, regression.Output.Outputs);
        Assert.Equal("signature only (no reference data)", regression.Output.Source);
        Assert.Null(classification.Input);
        Assert.Equal(
            [new OutputRule("probabilities", OutputKind.Probabilities, null, null, 3), new OutputRule("label", OutputKind.Labels, null, null, 3)],
            classification.Output.Outputs);
    }

    [Fact]
    public void Regression_with_reference_but_no_predict_callback_says_so()
    {
        using var model = Samples.Open("diabetes", "model.onnx");

        var contract = ContractInference.Infer(ModelTask.Regression, model.Inputs, model.Outputs, Samples.Reference("diabetes"), null, ContractInferenceOptions.Default);

        Assert.NotNull(contract.Input);
        Assert.Equal(new OutputRule("prediction", OutputKind.Values, null, null, null), Assert.Single(contract.Output.Outputs));
        Assert.Equal("signature only (no predictions on the reference data)", contract.Output.Source);
    }

    [Fact]
    public void A_reference_with_the_wrong_feature_count_is_refused()
    {
        using var model = Samples.Open("breast-cancer", "model.onnx");

        var error = Assert.Throws<ContractException>(() =>
            ContractInference.Infer(ModelTask.Classification, model.Inputs, model.Outputs, Samples.Reference("wine"), null, ContractInferenceOptions.Default));

        Assert.Equal("reference: 13 feature columns, input 'input' has 30 features", error.Message);
    }

    [Fact]
    public void Multi_input_graph_contract_covers_its_first_2d_float_input()
    {
        using var model = Samples.Open("testing", "multi-input.onnx");
        var reference = new ReferenceData(["f0", "f1", "f2", "f3"], [1, 2, 3, 4, 5, 6, 7, 8]);

        var contract = ContractInference.Infer(ModelTask.Other, model.Inputs, model.Outputs, reference, null, ContractInferenceOptions.Default);

        Assert.Equal("features", contract.Input!.Input);
        Assert.Equal(4, contract.Input.Features.Length);
        Assert.All(contract.Output.Outputs, rule => Assert.Equal(OutputKind.Any, rule.Kind));
        Assert.Equal(["masked_sum", "counts_x2", "token_sum", "any_mask"], contract.Output.Outputs.Select(r => r.Output));
    }

    [Fact]
    public void Label_class_count_falls_back_to_the_reference_labels()
    {
        TensorSignature[] inputs = [new("x", "FP32", [-1, 2], ["batch", ""])];
        TensorSignature[] outputs = [new("scores", "FP32", [-1, -1], ["batch", "classes"]), new("label", "INT64", [-1, 1], ["batch", ""])];
        var reference = new ReferenceData(["a", "b"], [1, 2, 3, 4, 5, 6], [0, 2, double.NaN]);

        var contract = ContractInference.Infer(ModelTask.Classification, inputs, outputs, reference, null, ContractInferenceOptions.Default);

        Assert.Equal(
            [new OutputRule("scores", OutputKind.Probabilities, null, null, null), new OutputRule("label", OutputKind.Labels, null, null, 3)],
            contract.Output.Outputs);
    }

    [Fact]
    public void Embedding_norm_range_comes_from_predictions_on_the_reference()
    {
        TensorSignature[] inputs = [new("x", "FP64", [-1, 1], ["batch", ""])];
        TensorSignature[] outputs = [new("embedding", "FP32", [-1, 2], ["batch", ""]), new("ids", "INT64", [-1], ["batch"])];
        var reference = new ReferenceData(["a"], [1, 2]);
        var calls = 0;
        Tensor[] Predict(ReferenceData data)
        {
            calls++;
            Assert.Same(reference, data);
            return [new Tensor("embedding", TensorDataType.Fp32, [2, 2], new float[] { 3, 4, 0, 3 }), new Tensor("ids", TensorDataType.Int64, [2], new long[] { 1, 2 })];
        }

        var contract = ContractInference.Infer(ModelTask.Embedding, inputs, outputs, reference, Predict, ContractInferenceOptions.Default);

        Assert.Equal(1, calls);
        Assert.Equal(
            [new OutputRule("embedding", OutputKind.Embedding, 3 - 0.2, 5 * Math.Pow(5.0 / 3, 0.1), null), new OutputRule("ids", OutputKind.Any, null, null, null)],
            contract.Output.Outputs);
    }

    [Fact]
    public void Feature_rules_cover_missing_values_single_values_and_category_limits()
    {
        TensorSignature[] inputs = [new("x", "FP32", [-1, 4], ["batch", ""])];
        var nan = double.NaN;
        var reference = new ReferenceData(
            ["with_nan", "constant", "many_codes", "all_missing"],
            [
                1, 7, 0, nan,
                nan, 7, 1, nan,
                3, 7, 2, nan,
                4, 7, 3, nan,
            ]);
        var options = new ContractInferenceOptions { RangeMargin = 0.5, MaxCategories = 3 };

        var features = ContractInference.Infer(ModelTask.Other, inputs, [], reference, null, options).Input!.Features;

        // Positive [1, 4]: the linear margin is 1.5, the log-scale factor 4^0.5 = 2: [max(1/3, min(-0.5, 0.5)), max(5.5, 8)];
        // constant 7: factor 1.5 against a pad of 3.5; [0, 3]: floored at 0.
        Assert.Equal(new FeatureRule(0, "with_nan", 1.0 / 3, 8, true, null, 3, 1), features[0] with { Categories = null });
        Assert.Equal([1L, 3L, 4L], features[0].Categories!);
        Assert.Equal(new FeatureRule(1, "constant", 3.5, 10.5, false, null, 7, 0), features[1]);
        Assert.Equal(new FeatureRule(2, "many_codes", 0, 3 + 1.5, false, null, 1.5, 1), features[2]);
        Assert.Equal(new FeatureRule(3, "all_missing", null, null, true, null, 0, 0), features[3]);
        Assert.Equal("reference (4 rows, margin 0.5)", ContractInference.Infer(ModelTask.Other, inputs, [], reference, null, options).Input!.Source);
    }

    [Fact]
    public void Options_out_of_range_are_refused_and_zero_categories_turns_detection_off()
    {
        TensorSignature[] inputs = [new("x", "FP32", [-1, 1], ["batch", ""])];
        var reference = new ReferenceData(["code"], [1, 2, 2]);

        var rule = ContractInference.Infer(ModelTask.Other, inputs, [], reference, null, new ContractInferenceOptions { MaxCategories = 0 }).Input!.Features[0];

        Assert.Null(rule.Categories);
        Assert.Throws<ArgumentOutOfRangeException>(() => ContractInference.Infer(ModelTask.Other, inputs, [], reference, null, new ContractInferenceOptions { RangeMargin = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContractInference.Infer(ModelTask.Other, inputs, [], reference, null, new ContractInferenceOptions { MaxCategories = -1 }));
    }

    private static void AssertRange(FeatureRule rule, string name, double min, double max)
    {
        Assert.Equal(name, rule.Name);
        if (min > 0)
        {
            // Positive: the wider of the linear and the log-scale margin, within [min / 3, 3 max].
            var (pad, factor) = (0.1 * (max - min), Math.Pow(max / min, 0.1));
            Assert.Equal((Math.Max(min / 3, Math.Min(min - pad, min / factor)), Math.Min(3 * max, Math.Max(max + pad, max * factor))), (rule.Min!.Value, rule.Max!.Value));
        }
        else
        {
            Assert.Equal(min == 0 ? 0 : min - (0.1 * (max - min)), rule.Min);
            Assert.Equal(max + (0.1 * (max - min)), rule.Max);
        }
    }
}

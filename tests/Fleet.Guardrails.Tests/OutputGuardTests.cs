using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Models;

namespace Fleet.Guardrails.Tests;

public sealed class OutputGuardTests
{
    private static readonly TensorSignature[] Signatures =
    [
        new("probabilities", "FP64", [-1, 2], ["batch", ""]),
        new("label", "INT64", [-1], ["batch"]),
        new("prediction", "FP32", [-1, 1], ["batch", ""]),
        new("embedding", "FP64", [-1, 2], ["batch", ""]),
        new("extra", "FP32", [-1], ["batch"]),
    ];

    private static readonly OutputGuard Guard = new(
        new OutputContract(
            [
                new OutputRule("probabilities", OutputKind.Probabilities, null, null, 2),
                new OutputRule("label", OutputKind.Labels, null, null, 2),
                new OutputRule("prediction", OutputKind.Values, 0, 10, null),
                new OutputRule("embedding", OutputKind.Embedding, 0.9, 1.1, null),
            ],
            "test"),
        Signatures);

    [Fact]
    public void NaN_model_reports_exactly_the_expected_rows_and_the_normal_model_passes()
    {
        var file = Samples.Path("testing", "breast-cancer-nan.json");
        var request = Samples.RequestInput(file, "request");
        using var nanModel = Samples.Open("testing", "breast-cancer-nan.onnx");
        using var model = Samples.Open("breast-cancer", "model.onnx");
        var contract = ContractInference.Infer(ModelTask.Classification, model.Inputs, model.Outputs, null, null, ContractInferenceOptions.Default);
        var guard = new OutputGuard(contract.Output, nanModel.Outputs);

        var bad = guard.Check(nanModel.Run([request]));
        var good = guard.Check(model.Run([request]));

        Assert.False(bad.Ok);
        Assert.Equal(Samples.IntArray(file, "expected_nan_rows"), bad.Violations.Select(v => v.Row).Distinct());
        Assert.All(bad.Violations, v => Assert.Equal((Rules.NonFinite, "probabilities", "value NaN is not finite"), (v.Rule, v.Input, v.Detail)));
        Assert.Equal(new Dictionary<string, int> { [Rules.NonFinite] = 4 }, bad.CountsByRule);
        Assert.Equal("output 'probabilities': 4 non-finite values (first at row 1)", bad.Summary);
        Assert.Same(OutputCheck.Passed, good);
        Assert.Equal("ok", good.Summary);
    }

    [Fact]
    public void Probability_rows_must_sum_to_one_and_stay_in_range()
    {
        var check = Guard.Check([Fp64("probabilities", 2, 0.5, 0.25, 0.3, 0.7, 1.5, -0.5, 0.4995, 0.5)]);

        Assert.Equal(
            [
                new Violation("probabilities", 0, -1, null, 0.75, Rules.ProbabilitySum, "row sums to 0.75, not 1 (tolerance 0.001)"),
                new Violation("probabilities", 2, 0, null, 1.5, Rules.ProbabilityRange, "probability 1.5 is outside [0, 1]"),
                new Violation("probabilities", 2, 1, null, -0.5, Rules.ProbabilityRange, "probability -0.5 is outside [0, 1]"),
            ],
            check.Violations);
        Assert.Equal("output 'probabilities': 1 row not summing to 1 (first at row 0), 2 probabilities outside [0, 1] (first at row 2)", check.Summary);
    }

    [Fact]
    public void Labels_must_be_class_indexes()
    {
        var check = Guard.Check([new Tensor("label", TensorDataType.Int64, [4], new long[] { 0, 1, 2, -1 })]);

        Assert.Equal(
            [
                new Violation("label", 2, 0, null, 2, Rules.LabelRange, "label 2 is outside [0, 2)"),
                new Violation("label", 3, 0, null, -1, Rules.LabelRange, "label -1 is outside [0, 2)"),
            ],
            check.Violations);
        Assert.Equal("output 'label': 2 labels outside [0, 2) (first at row 2)", check.Summary);
    }

    [Fact]
    public void Regression_values_must_stay_in_range_and_NaN_is_reported_once()
    {
        var check = Guard.Check([new Tensor("prediction", TensorDataType.Fp32, [4, 1], new[] { 5f, 10.5f, -1f, float.NaN })]);

        Assert.Equal(
            [
                new Violation("prediction", 1, 0, null, 10.5, Rules.ValueRange, "value 10.5 is above max 10"),
                new Violation("prediction", 2, 0, null, -1, Rules.ValueRange, "value -1 is below min 0"),
            ],
            check.Violations.Take(2));
        Assert.Equal(new Dictionary<string, int> { [Rules.ValueRange] = 2, [Rules.NonFinite] = 1 }, check.CountsByRule);
        Assert.Equal("output 'prediction': 2 values outside [0, 10] (first at row 1), 1 non-finite value (first at row 3)", check.Summary);
    }

    [Fact]
    public void Embedding_rows_must_have_a_norm_in_range()
    {
        var check = Guard.Check([Fp64("embedding", 2, 0.6, 0.8, 3, 4, 0, 0)]);

        Assert.Equal(
            [
                new Violation("embedding", 1, -1, null, 5, Rules.EmbeddingNorm, "norm 5 is above max 1.1"),
                new Violation("embedding", 2, -1, null, 0, Rules.EmbeddingNorm, "norm 0 is below min 0.9"),
            ],
            check.Violations);
        Assert.Equal("output 'embedding': 2 rows with norm outside [0.9, 1.1] (first at row 1)", check.Summary);
    }

    [Fact]
    public void Every_float_output_must_be_finite_and_absent_outputs_are_skipped()
    {
        var check = Guard.Check(
        [
            new Tensor("extra", TensorDataType.Fp32, [3], new[] { 1f, float.PositiveInfinity, float.NegativeInfinity }),
            new Tensor("label", TensorDataType.Int64, [1], new long[] { 1 }),
        ]);

        Assert.Equal(["value Infinity is not finite", "value -Infinity is not finite"], check.Violations.Select(v => v.Detail));
        Assert.Equal("output 'extra': 2 non-finite values (first at row 1)", check.Summary);
        Assert.True(Guard.Check([]).Ok);
    }

    [Fact]
    public void Summary_names_each_output_in_turn()
    {
        var check = Guard.Check(
        [
            Fp64("probabilities", 2, double.NaN, 1),
            new Tensor("label", TensorDataType.Int64, [1], new long[] { 7 }),
        ]);

        Assert.Equal("output 'probabilities': 1 non-finite value (first at row 0); output 'label': 1 label outside [0, 2) (first at row 0)", check.Summary);
    }

    [Fact]
    public void A_clean_check_allocates_nothing()
    {
        Tensor[] outputs = [Fp64("probabilities", 2, [.. Enumerable.Repeat(0.5, 128)]), new Tensor("label", TensorDataType.Int64, [64], new long[64])];
        Guard.Check(outputs);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(Guard.Check(outputs).Ok);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_rule_that_does_not_fit_the_signature_is_refused_when_the_guard_is_built()
    {
        var contract = new OutputContract([new OutputRule("prediction", OutputKind.Labels, null, null, null)], "test");

        var error = Assert.Throws<ContractException>(() => new OutputGuard(contract, Signatures));

        Assert.Equal("output.outputs[0].kind: labels needs an integer output; 'prediction' is FP32 [-1, 1]", error.Message);
    }

    private static Tensor Fp64(string name, int width, params double[] values) =>
        new(name, TensorDataType.Fp64, [values.Length / width, width], values);
}

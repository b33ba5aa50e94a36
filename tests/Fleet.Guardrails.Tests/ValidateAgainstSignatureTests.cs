using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;

namespace Fleet.Guardrails.Tests;

public sealed class ValidateAgainstSignatureTests
{
    private static readonly TensorSignature[] Inputs =
    [
        new("ids", "INT64", [-1, 4], ["batch", ""]),
        new("input", "FP32", [-1, 3], ["batch", ""]),
        new("free", "FP64", [-1, -1], ["batch", "features"]),
    ];

    private static readonly TensorSignature[] Outputs =
    [
        new("probabilities", "FP32", [-1, 2], ["batch", ""]),
        new("label", "INT64", [-1], ["batch"]),
        new("vector", "FP32", [-1], ["batch"]),
    ];

    private static readonly FeatureRule[] Features =
    [
        new(0, "a", 0, 1, false, null, 0.5, 0.1),
        new(1, "b", null, null, true, [0, 1], 0, 0),
        new(2, "c", -1, null, false, null, 0, 1),
    ];

    private static readonly VersionContract Valid = new(
        new InputContract("input", Features, "user"),
        new OutputContract(
            [
                new OutputRule("probabilities", OutputKind.Probabilities, null, null, 2),
                new OutputRule("label", OutputKind.Labels, null, null, 2),
                new OutputRule("vector", OutputKind.Values, -5, 5, null),
            ],
            "user"));

    public static TheoryData<VersionContract, string> Invalid => new()
    {
        { Valid with { Input = Valid.Input! with { Input = "nope" } }, "input.input: 'nope' is not an input of the model (inputs: ids, input, free)" },
        { Valid with { Input = Valid.Input! with { Input = "ids" } }, "input.input: 'ids' is INT64 [-1, 4]; a contract needs a 2-D FP32 or FP64 input" },
        { Valid with { Input = Valid.Input! with { Features = Features[..2] } }, "input.features: 2 features, input 'input' has 3" },
        { Valid with { Input = Valid.Input! with { Features = [] } }, "input.features: empty; leave the input contract out instead" },
        { WithFeature(1, Features[1] with { Index = 2 }), "input.features[1].index: 2, expected 1 (features are listed in column order)" },
        { WithFeature(2, Features[2] with { Name = "" }), "input.features[2].name: missing" },
        { WithFeature(2, Features[2] with { Min = 5, Max = 2 }), "input.features[2].min: 5 is greater than max 2" },
        { WithFeature(0, Features[0] with { Max = double.PositiveInfinity }), "input.features[0].max: must be a finite number or null" },
        { WithFeature(0, Features[0] with { Mad = -0.5 }), "input.features[0].mad: -0.5 must be >= 0" },
        { WithFeature(0, Features[0] with { Median = double.NaN }), "input.features[0].median: must be a finite number" },
        { WithFeature(1, Features[1] with { Categories = [] }), "input.features[1].categories: empty; use null for no category rule" },
        { WithFeature(1, Features[1] with { Categories = [1, 2, 1] }), "input.features[1].categories: 1 is listed twice" },
        { WithRule(0, new OutputRule("probs", OutputKind.Probabilities, null, null, 2)), "output.outputs[0].output: 'probs' is not an output of the model (outputs: probabilities, label, vector)" },
        { WithRule(2, new OutputRule("label", OutputKind.Any, null, null, null)), "output.outputs[2].output: 'label' already has a rule (output.outputs[1])" },
        { WithRule(0, new OutputRule("probabilities", OutputKind.Labels, null, null, 2)), "output.outputs[0].kind: labels needs an integer output; 'probabilities' is FP32 [-1, 2]" },
        { WithRule(1, new OutputRule("label", OutputKind.Probabilities, null, null, null)), "output.outputs[1].kind: probabilities needs an FP32 or FP64 output; 'label' is INT64 [-1]" },
        { WithRule(1, new OutputRule("label", OutputKind.Values, null, null, null)), "output.outputs[1].kind: values needs an FP32 or FP64 output; 'label' is INT64 [-1]" },
        { WithRule(2, new OutputRule("vector", OutputKind.Embedding, null, null, null)), "output.outputs[2].kind: embedding needs a 2-D output (one vector per row); 'vector' is FP32 [-1]" },
        { WithRule(2, new OutputRule("vector", (OutputKind)9, null, null, null)), "output.outputs[2].kind: 9 is not a known kind" },
        { WithRule(2, new OutputRule("vector", OutputKind.Values, 3, -3, null)), "output.outputs[2].min: 3 is greater than max -3" },
        { WithRule(1, new OutputRule("label", OutputKind.Labels, null, null, 0)), "output.outputs[1].class_count: 0 must be >= 1" },
        { WithRule(0, new OutputRule("probabilities", OutputKind.Probabilities, null, null, 3)), "output.outputs[0].class_count: 3, output 'probabilities' has 2 columns" },
        { Valid with { Output = null! }, "output: missing" },
        { Valid with { Output = Valid.Output with { Outputs = null! } }, "output.outputs: missing" },
    };

    [Fact]
    public void A_valid_contract_passes_and_any_2d_float_input_may_carry_it()
    {
        ContractInference.ValidateAgainstSignature(Valid, Inputs, Outputs);
        ContractInference.ValidateAgainstSignature(Valid with { Input = new InputContract("free", [Features[0]], "user") }, Inputs, Outputs);
        ContractInference.ValidateAgainstSignature(Valid with { Input = null }, Inputs, Outputs);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_error_names_the_field(VersionContract contract, string message)
    {
        var error = Assert.Throws<ContractException>(() => ContractInference.ValidateAgainstSignature(contract, Inputs, Outputs));

        Assert.Equal(message, error.Message);
    }

    private static VersionContract WithFeature(int index, FeatureRule feature)
    {
        var features = Features.ToArray();
        features[index] = feature;
        return Valid with { Input = Valid.Input! with { Features = features } };
    }

    private static VersionContract WithRule(int index, OutputRule rule)
    {
        var rules = Valid.Output.Outputs.ToArray();
        rules[index] = rule;
        return Valid with { Output = Valid.Output with { Outputs = rules } };
    }
}

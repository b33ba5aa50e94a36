using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;

namespace Fleet.Guardrails;

/// <summary>
/// Structural and signature checks of a contract. Messages start with the JSON field path
/// (<c>input.features[3].min</c>, <c>output.outputs[0].kind</c>) so a user can find the bad field.
/// </summary>
internal static class ContractValidation
{
    public static void ValidateInput(InputContract input, IReadOnlyList<TensorSignature> inputs)
    {
        if (string.IsNullOrEmpty(input.Input))
        {
            throw new ContractException("input.input: missing");
        }

        var signature = Signatures.Find(inputs, input.Input)
            ?? throw new ContractException($"input.input: '{input.Input}' is not an input of the model (inputs: {Signatures.Names(inputs)})");
        if (!Signatures.IsFloat(signature.Datatype) || signature.Shape.Length != 2)
        {
            throw new ContractException($"input.input: '{input.Input}' is {Signatures.Describe(signature)}; a contract needs a 2-D FP32 or FP64 input");
        }

        ValidateFeatures(input);
        var width = signature.Shape[1];
        if (width >= 0 && width != input.Features.Length)
        {
            throw new ContractException($"input.features: {input.Features.Length} features, input '{input.Input}' has {width}");
        }
    }

    /// <summary>The checks that need no signature; <see cref="InputGuard"/> runs them too.</summary>
    public static void ValidateFeatures(InputContract input)
    {
        if (input.Features is null)
        {
            throw new ContractException("input.features: missing");
        }

        if (input.Features.Length == 0)
        {
            throw new ContractException("input.features: empty; leave the input contract out instead");
        }

        for (var i = 0; i < input.Features.Length; i++)
        {
            var path = $"input.features[{i}]";
            var feature = input.Features[i] ?? throw new ContractException($"{path}: missing");
            if (feature.Index != i)
            {
                throw new ContractException($"{path}.index: {feature.Index}, expected {i} (features are listed in column order)");
            }

            if (string.IsNullOrEmpty(feature.Name))
            {
                throw new ContractException($"{path}.name: missing");
            }

            CheckRange(path, feature.Min, feature.Max);
            if (!double.IsFinite(feature.Median))
            {
                throw new ContractException($"{path}.median: must be a finite number");
            }

            if (!double.IsFinite(feature.Mad))
            {
                throw new ContractException($"{path}.mad: must be a finite number");
            }

            if (feature.Mad < 0)
            {
                throw new ContractException($"{path}.mad: {Signatures.Format(feature.Mad)} must be >= 0");
            }

            if (feature.Categories is { } categories)
            {
                if (categories.Length == 0)
                {
                    throw new ContractException($"{path}.categories: empty; use null for no category rule");
                }

                if (categories.Distinct().Count() != categories.Length)
                {
                    throw new ContractException($"{path}.categories: {categories.GroupBy(c => c).First(g => g.Count() > 1).Key} is listed twice");
                }
            }
        }
    }

    public static void ValidateOutput(OutputContract output, IReadOnlyList<TensorSignature> outputs)
    {
        if (output.Outputs is null)
        {
            throw new ContractException("output.outputs: missing");
        }

        for (var i = 0; i < output.Outputs.Length; i++)
        {
            var path = $"output.outputs[{i}]";
            var rule = output.Outputs[i] ?? throw new ContractException($"{path}: missing");
            if (string.IsNullOrEmpty(rule.Output))
            {
                throw new ContractException($"{path}.output: missing");
            }

            var signature = Signatures.Find(outputs, rule.Output)
                ?? throw new ContractException($"{path}.output: '{rule.Output}' is not an output of the model (outputs: {Signatures.Names(outputs)})");
            var previous = Array.FindIndex(output.Outputs, 0, i, r => r?.Output == rule.Output);
            if (previous >= 0)
            {
                throw new ContractException($"{path}.output: '{rule.Output}' already has a rule (output.outputs[{previous}])");
            }

            CheckKind(path, rule, signature);
            CheckRange(path, rule.Min, rule.Max);
            if (rule.ClassCount is { } classes)
            {
                if (classes < 1)
                {
                    throw new ContractException($"{path}.class_count: {classes} must be >= 1");
                }

                if (rule.Kind == OutputKind.Probabilities && signature.Shape is [_, var width] && width >= 0 && width != classes)
                {
                    throw new ContractException($"{path}.class_count: {classes}, output '{rule.Output}' has {width} columns");
                }
            }
        }
    }

    private static void CheckKind(string path, OutputRule rule, TensorSignature signature)
    {
        var kind = rule.Kind.ToString().ToLowerInvariant();
        switch (rule.Kind)
        {
            case OutputKind.Any:
                break;
            case OutputKind.Labels when !Signatures.IsInteger(signature.Datatype):
                throw new ContractException($"{path}.kind: labels needs an integer output; '{rule.Output}' is {Signatures.Describe(signature)}");
            case OutputKind.Probabilities or OutputKind.Values or OutputKind.Embedding when !Signatures.IsFloat(signature.Datatype):
                throw new ContractException($"{path}.kind: {kind} needs an FP32 or FP64 output; '{rule.Output}' is {Signatures.Describe(signature)}");
            case OutputKind.Embedding when signature.Shape.Length != 2:
                throw new ContractException($"{path}.kind: embedding needs a 2-D output (one vector per row); '{rule.Output}' is {Signatures.Describe(signature)}");
            case OutputKind.Labels or OutputKind.Probabilities or OutputKind.Values or OutputKind.Embedding:
                break;
            default:
                throw new ContractException($"{path}.kind: {(int)rule.Kind} is not a known kind");
        }
    }

    private static void CheckRange(string path, double? min, double? max)
    {
        if (min is { } lo && !double.IsFinite(lo))
        {
            throw new ContractException($"{path}.min: must be a finite number or null");
        }

        if (max is { } hi && !double.IsFinite(hi))
        {
            throw new ContractException($"{path}.max: must be a finite number or null");
        }

        if (min > max)
        {
            throw new ContractException($"{path}.min: {Signatures.Format(min.Value)} is greater than max {Signatures.Format(max!.Value)}");
        }
    }
}

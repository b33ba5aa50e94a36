using Fleet.Inference.Tensors;

namespace Fleet.Inference.Onnx;

/// <summary>
/// How to know an output's shape before running: each dimension is fixed, or copies an input's dimension
/// that carries the same symbolic name (the usual dynamic "batch"). Outputs with any other dynamic
/// dimension get no plan and are allocated by ORT.
/// </summary>
internal sealed class OutputPlan
{
    private readonly long[] _fixed;
    private readonly (string Input, int Axis)?[] _fromInput;

    private OutputPlan(TensorDataType type, long[] fixedDims, (string, int)?[] fromInput)
    {
        Type = type;
        _fixed = fixedDims;
        _fromInput = fromInput;
    }

    public TensorDataType Type { get; }

    public static Dictionary<string, OutputPlan> For(IReadOnlyList<TensorSignature> inputs, IReadOnlyList<TensorSignature> outputs)
    {
        var symbols = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            for (var axis = 0; axis < input.Shape.Length; axis++)
            {
                if (input.Shape[axis] < 0 && input.DimNames.Length > axis && input.DimNames[axis].Length > 0)
                {
                    symbols.TryAdd(input.DimNames[axis], (input.Name, axis));
                }
            }
        }

        var plans = new Dictionary<string, OutputPlan>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            if (!TensorDataTypes.TryParseProtocolName(output.Datatype, out var type))
            {
                continue;
            }

            var fromInput = new (string, int)?[output.Shape.Length];
            var resolvable = true;
            for (var d = 0; d < output.Shape.Length && resolvable; d++)
            {
                if (output.Shape[d] >= 0)
                {
                    continue;
                }

                resolvable = output.DimNames.Length > d && symbols.TryGetValue(output.DimNames[d], out var source);
                fromInput[d] = resolvable ? symbols[output.DimNames[d]] : null;
            }

            if (resolvable)
            {
                plans[output.Name] = new OutputPlan(type, output.Shape, fromInput);
            }
        }

        return plans;
    }

    /// <summary>The output shape for these inputs, or null when an input it depends on is missing.</summary>
    public long[]? ResolveShape(IReadOnlyList<Tensor> inputs)
    {
        var shape = new long[_fixed.Length];
        for (var d = 0; d < shape.Length; d++)
        {
            if (_fromInput[d] is not { } source)
            {
                shape[d] = _fixed[d];
                continue;
            }

            Tensor? input = null;
            for (var i = 0; i < inputs.Count; i++)
            {
                if (inputs[i].Name == source.Input)
                {
                    input = inputs[i];
                    break;
                }
            }

            if (input is null || input.Shape.Length <= source.Axis)
            {
                return null;
            }

            shape[d] = input.Shape[source.Axis];
        }

        return shape;
    }
}

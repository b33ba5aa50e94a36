using System.Globalization;
using Fleet.Inference.Onnx;
using Fleet.Inference.Tensors;

namespace Fleet.Guardrails;

/// <summary>Questions about graph signatures and tensors that inference, validation and the guards share.</summary>
internal static class Signatures
{
    public static bool IsFloat(string datatype) => datatype is "FP32" or "FP64";

    public static bool IsInteger(string datatype) =>
        datatype is "INT8" or "UINT8" or "INT16" or "UINT16" or "INT32" or "UINT32" or "INT64" or "UINT64";

    public static bool IsFloat(TensorDataType type) => type is TensorDataType.Fp32 or TensorDataType.Fp64;

    /// <summary>The input a contract describes: the first FP32/FP64 input of rank 2.</summary>
    public static TensorSignature? ContractInput(IReadOnlyList<TensorSignature> inputs)
    {
        foreach (var input in inputs)
        {
            if (IsFloat(input.Datatype) && input.Shape.Length == 2)
            {
                return input;
            }
        }

        return null;
    }

    public static TensorSignature? Find(IReadOnlyList<TensorSignature> signatures, string name)
    {
        foreach (var signature in signatures)
        {
            if (signature.Name == name)
            {
                return signature;
            }
        }

        return null;
    }

    public static string Names(IReadOnlyList<TensorSignature> signatures) => string.Join(", ", signatures.Select(s => s.Name));

    public static string Describe(TensorSignature signature) => $"{signature.Datatype} [{string.Join(", ", signature.Shape)}]";

    /// <summary>Rows of a tensor: dim 0, or 1 for a scalar.</summary>
    public static int Rows(Tensor tensor) => tensor.Shape.Length == 0 ? 1 : checked((int)tensor.Shape[0]);

    /// <summary>The float tensor's values as doubles (a copy; for inference, not the hot path).</summary>
    public static double[] ToDoubles(Tensor tensor) => tensor.Data switch
    {
        float[] floats => Array.ConvertAll(floats, v => (double)v),
        double[] doubles => doubles,
        _ => throw new ArgumentException($"tensor '{tensor.Name}' is {tensor.Type}, not FP32 or FP64", nameof(tensor)),
    };

    /// <summary>Shortest round-trip text of a number, invariant culture.</summary>
    public static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A learned bound in a message: 6 significant digits (the contract itself keeps the exact value).</summary>
    public static string FormatBound(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

using Microsoft.ML.OnnxRuntime.Tensors;

namespace Fleet.Inference.Tensors;

/// <summary>Element types Fleet accepts on the wire, named as the Open Inference Protocol names them.</summary>
public enum TensorDataType
{
    Bool,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Fp32,
    Fp64,
}

public static class TensorDataTypes
{
    public static string ToProtocolName(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.Int8 => "INT8",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.Int16 => "INT16",
        TensorDataType.UInt16 => "UINT16",
        TensorDataType.Int32 => "INT32",
        TensorDataType.UInt32 => "UINT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.UInt64 => "UINT64",
        TensorDataType.Fp32 => "FP32",
        TensorDataType.Fp64 => "FP64",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParseProtocolName(string? name, out TensorDataType type)
    {
        switch (name)
        {
            case "BOOL": type = TensorDataType.Bool; return true;
            case "INT8": type = TensorDataType.Int8; return true;
            case "UINT8": type = TensorDataType.UInt8; return true;
            case "INT16": type = TensorDataType.Int16; return true;
            case "UINT16": type = TensorDataType.UInt16; return true;
            case "INT32": type = TensorDataType.Int32; return true;
            case "UINT32": type = TensorDataType.UInt32; return true;
            case "INT64": type = TensorDataType.Int64; return true;
            case "UINT64": type = TensorDataType.UInt64; return true;
            case "FP32": type = TensorDataType.Fp32; return true;
            case "FP64": type = TensorDataType.Fp64; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Maps an ONNX element type; null for the ones Fleet cannot carry over JSON (strings, FP16, ...).</summary>
    public static TensorDataType? FromOnnx(TensorElementType type) => type switch
    {
        TensorElementType.Bool => TensorDataType.Bool,
        TensorElementType.Int8 => TensorDataType.Int8,
        TensorElementType.UInt8 => TensorDataType.UInt8,
        TensorElementType.Int16 => TensorDataType.Int16,
        TensorElementType.UInt16 => TensorDataType.UInt16,
        TensorElementType.Int32 => TensorDataType.Int32,
        TensorElementType.UInt32 => TensorDataType.UInt32,
        TensorElementType.Int64 => TensorDataType.Int64,
        TensorElementType.UInt64 => TensorDataType.UInt64,
        TensorElementType.Float => TensorDataType.Fp32,
        TensorElementType.Double => TensorDataType.Fp64,
        _ => null,
    };

    /// <summary>The ONNX name for types Fleet does not carry, so signatures can still describe them.</summary>
    public static string OnnxTypeName(TensorElementType type) => type switch
    {
        TensorElementType.String => "BYTES",
        TensorElementType.Float16 => "FP16",
        TensorElementType.BFloat16 => "BF16",
        _ => FromOnnx(type)?.ToProtocolName() ?? type.ToString().ToUpperInvariant(),
    };
}

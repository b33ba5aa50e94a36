using Microsoft.ML.OnnxRuntime;

namespace Fleet.Inference.Tensors;

/// <summary>
/// A named dense tensor backed by a managed array of the element type (bool[], float[], long[], ...).
/// The array is handed to ONNX Runtime without a copy.
/// </summary>
public sealed class Tensor
{
    public Tensor(string name, TensorDataType type, long[] shape, Array data)
    {
        Name = name;
        Type = type;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public TensorDataType Type { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    public int Length => Data.Length;

    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            count = checked(count * dim);
        }

        return count;
    }

    public static Array Allocate(TensorDataType type, int length) => type switch
    {
        TensorDataType.Bool => new bool[length],
        TensorDataType.Int8 => new sbyte[length],
        TensorDataType.UInt8 => new byte[length],
        TensorDataType.Int16 => new short[length],
        TensorDataType.UInt16 => new ushort[length],
        TensorDataType.Int32 => new int[length],
        TensorDataType.UInt32 => new uint[length],
        TensorDataType.Int64 => new long[length],
        TensorDataType.UInt64 => new ulong[length],
        TensorDataType.Fp32 => new float[length],
        TensorDataType.Fp64 => new double[length],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Wraps the managed array as an OrtValue (pinned, no copy). Dispose it after Run.</summary>
    internal OrtValue ToOrtValue() => Type switch
    {
        TensorDataType.Bool => OrtValue.CreateTensorValueFromMemory((bool[])Data, Shape),
        TensorDataType.Int8 => OrtValue.CreateTensorValueFromMemory((sbyte[])Data, Shape),
        TensorDataType.UInt8 => OrtValue.CreateTensorValueFromMemory((byte[])Data, Shape),
        TensorDataType.Int16 => OrtValue.CreateTensorValueFromMemory((short[])Data, Shape),
        TensorDataType.UInt16 => OrtValue.CreateTensorValueFromMemory((ushort[])Data, Shape),
        TensorDataType.Int32 => OrtValue.CreateTensorValueFromMemory((int[])Data, Shape),
        TensorDataType.UInt32 => OrtValue.CreateTensorValueFromMemory((uint[])Data, Shape),
        TensorDataType.Int64 => OrtValue.CreateTensorValueFromMemory((long[])Data, Shape),
        TensorDataType.UInt64 => OrtValue.CreateTensorValueFromMemory((ulong[])Data, Shape),
        TensorDataType.Fp32 => OrtValue.CreateTensorValueFromMemory((float[])Data, Shape),
        TensorDataType.Fp64 => OrtValue.CreateTensorValueFromMemory((double[])Data, Shape),
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, null),
    };

    /// <summary>Copies an ORT output into a managed tensor (the OrtValue is disposed by the caller).</summary>
    internal static Tensor FromOrtValue(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new InferenceException($"output '{name}' is a {value.OnnxType}, not a tensor; Fleet serves tensor outputs only");
        }

        var info = value.GetTensorTypeAndShape();
        var type = TensorDataTypes.FromOnnx(info.ElementDataType)
            ?? throw new InferenceException($"output '{name}' has element type {TensorDataTypes.OnnxTypeName(info.ElementDataType)}, which Fleet cannot return");
        Array data = type switch
        {
            TensorDataType.Bool => value.GetTensorDataAsSpan<bool>().ToArray(),
            TensorDataType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            TensorDataType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray(),
            TensorDataType.Int16 => value.GetTensorDataAsSpan<short>().ToArray(),
            TensorDataType.UInt16 => value.GetTensorDataAsSpan<ushort>().ToArray(),
            TensorDataType.Int32 => value.GetTensorDataAsSpan<int>().ToArray(),
            TensorDataType.UInt32 => value.GetTensorDataAsSpan<uint>().ToArray(),
            TensorDataType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorDataType.UInt64 => value.GetTensorDataAsSpan<ulong>().ToArray(),
            TensorDataType.Fp32 => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorDataType.Fp64 => value.GetTensorDataAsSpan<double>().ToArray(),
            _ => throw new InferenceException($"output '{name}' has unsupported type {type}"),
        };
        return new Tensor(name, type, info.Shape, data);
    }
}

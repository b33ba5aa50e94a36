namespace Fleet.Inference.Onnx;

/// <summary>
/// One graph input or output as ONNX Runtime reports it. <see cref="Datatype"/> is the protocol name
/// (FP32, INT64, ...; BYTES/FP16 for types Fleet cannot carry). A dimension of -1 is dynamic.
/// </summary>
public sealed record TensorSignature(string Name, string Datatype, long[] Shape, string[] DimNames)
{
    public bool IsSupported => Tensors.TensorDataTypes.TryParseProtocolName(Datatype, out _);
}

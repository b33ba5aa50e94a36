namespace Fleet.Abstractions.Models;

/// <summary>
/// One input or output of an ONNX graph. <see cref="Datatype"/> uses the Open Inference Protocol names
/// (FP32, INT64, BOOL, ...); a dimension of -1 is dynamic and <see cref="DimNames"/> carries its symbolic name.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.TensorSpec")]
public sealed record TensorSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string Datatype,
    [property: Id(2)] long[] Shape,
    [property: Id(3)] string[] DimNames);

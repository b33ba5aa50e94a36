namespace Fleet.Abstractions.Models;

/// <summary>
/// One tensor of a golden set, in Open Inference Protocol terms. FP32/FP64 values are in <see cref="Floats"/>;
/// every other type in <see cref="Integers"/> (BOOL as 0/1, UINT64 as its bit pattern), so nothing is rounded.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.GoldenTensor")]
public sealed record GoldenTensor(
    [property: Id(0)] string Name,
    [property: Id(1)] string Datatype,
    [property: Id(2)] long[] Shape,
    [property: Id(3)] double[]? Floats,
    [property: Id(4)] long[]? Integers)
{
    public int Length => Floats?.Length ?? Integers?.Length ?? 0;
}

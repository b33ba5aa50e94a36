namespace Fleet.Abstractions.Contracts;

[GenerateSerializer, Immutable, Alias("fleet.OutputContract")]
public sealed record OutputContract(
    [property: Id(0)] OutputRule[] Outputs,
    [property: Id(1)] string Source);

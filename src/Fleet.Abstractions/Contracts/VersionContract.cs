namespace Fleet.Abstractions.Contracts;

/// <summary>A version's input and output contracts. <see cref="Input"/> is null when the model has no 2-D numeric input or no reference was given.</summary>
[GenerateSerializer, Immutable, Alias("fleet.VersionContract")]
public sealed record VersionContract(
    [property: Id(0)] InputContract? Input,
    [property: Id(1)] OutputContract Output);

namespace Fleet.Abstractions.Contracts;

/// <summary>
/// Per-feature rules for <see cref="Input"/>, the model's first 2-D numeric input (columns = features).
/// Element types and shapes of every input are checked against the graph's signature separately.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.InputContract")]
public sealed record InputContract(
    [property: Id(0)] string Input,
    [property: Id(1)] FeatureRule[] Features,
    [property: Id(2)] string Source);

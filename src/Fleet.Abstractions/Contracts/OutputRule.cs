namespace Fleet.Abstractions.Contracts;

/// <summary>What one output must satisfy besides "no NaN or Infinity", which holds for every output.</summary>
[GenerateSerializer, Immutable, Alias("fleet.OutputRule")]
public sealed record OutputRule(
    [property: Id(0)] string Output,
    [property: Id(1)] OutputKind Kind,
    [property: Id(2)] double? Min,
    [property: Id(3)] double? Max,
    [property: Id(4)] int? ClassCount);

/// <summary>
/// Probabilities: each row in [0, 1] summing to 1 within 1e-3. Labels: integer class ids in [0, ClassCount).
/// Values: regression outputs within [Min, Max]. Embedding: each row's L2 norm within [Min, Max].
/// Any: finite only.
/// </summary>
[GenerateSerializer, Alias("fleet.OutputKind")]
public enum OutputKind
{
    Any = 0,
    Probabilities = 1,
    Labels = 2,
    Values = 3,
    Embedding = 4,
}

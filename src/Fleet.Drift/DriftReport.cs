namespace Fleet.Drift;

/// <summary>
/// A window's drift verdict. <see cref="Reason"/> is a short sentence naming what drove
/// <see cref="Overall"/>; <see cref="DriftedShare"/> is the share of input features (the output feature
/// excluded) with enough data that drifted, 0 when none had enough data. <see cref="ReferenceCount"/> and
/// <see cref="CurrentCount"/> are rows: the longest column on each side, missing values included.
/// <see cref="Reason"/> joins <see cref="Reasons"/> when anything fired.
/// <see cref="Features"/> are in the order of the references; do not mutate the array.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.DriftReport")]
public sealed record DriftReport(
    [property: Id(0)] DriftVerdict Overall,
    [property: Id(1)] string Reason,
    [property: Id(2)] double DriftedShare,
    [property: Id(3)] int ReferenceCount,
    [property: Id(4)] int CurrentCount,
    [property: Id(5)] FeatureDrift[] Features)
{
    /// <summary>One sentence per rule or detector that fired, with its numbers (empty for no-drift and insufficient data).</summary>
    [Id(6)] public string[] Reasons { get; init; } = [];
}

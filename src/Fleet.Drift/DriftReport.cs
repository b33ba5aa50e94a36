namespace Fleet.Drift;

/// <summary>
/// A window's drift verdict. <see cref="Reason"/> is a short sentence naming what drove
/// <see cref="Overall"/>; <see cref="DriftedShare"/> is the share of input features (the output feature
/// excluded) with enough data that drifted, 0 when none had enough data. <see cref="ReferenceCount"/> and
/// <see cref="CurrentCount"/> are rows: the longest column on each side, missing values included.
/// <see cref="Reason"/> joins <see cref="Reasons"/> when anything fired.
/// <see cref="Features"/> are in the order of the references; do not mutate the array.
/// </summary>
public sealed record DriftReport(
    DriftVerdict Overall,
    string Reason,
    double DriftedShare,
    int ReferenceCount,
    int CurrentCount,
    FeatureDrift[] Features)
{
    /// <summary>One sentence per rule or detector that fired, with its numbers (empty for no-drift and insufficient data).</summary>
    public string[] Reasons { get; init; } = [];
}

namespace Fleet.Drift;

/// <summary>
/// One feature's drift check. <see cref="Test"/> is "ks" (numeric: two-sample Kolmogorov-Smirnov) or "chi2"
/// (categorical: chi-square test of homogeneity); <see cref="EffectMeasure"/> is "wasserstein" (normalised
/// Wasserstein distance) or "jensen_shannon" (Jensen-Shannon distance, base 2). <see cref="Psi"/> is extra
/// evidence and takes no part in the verdict. The counts are non-missing values; the numbers are NaN when
/// the verdict is <see cref="DriftVerdict.InsufficientData"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FeatureDrift")]
public sealed record FeatureDrift(
    [property: Id(0)] string Name,
    [property: Id(1)] FeatureKind Kind,
    [property: Id(2)] string Test,
    [property: Id(3)] double Statistic,
    [property: Id(4)] double PValue,
    [property: Id(5)] double AdjustedPValue,
    [property: Id(6)] string EffectMeasure,
    [property: Id(7)] double EffectSize,
    [property: Id(8)] double Psi,
    [property: Id(9)] DriftVerdict Verdict,
    [property: Id(10)] int ReferenceCount,
    [property: Id(11)] int CurrentCount)
{
    /// <summary>How far the verdict is confirmed over repeated checks (<see cref="DriftConfirmation"/>); null on a single check.</summary>
    [Id(12)]
    public string? Confirmation { get; init; }
}

namespace Fleet.Drift;

/// <summary>
/// One feature's drift check. <see cref="Test"/> is "ks" (numeric: two-sample Kolmogorov-Smirnov) or "chi2"
/// (categorical: chi-square test of homogeneity); <see cref="EffectMeasure"/> is "wasserstein" (normalised
/// Wasserstein distance) or "jensen_shannon" (Jensen-Shannon distance, base 2). <see cref="Psi"/> is extra
/// evidence and takes no part in the verdict. The counts are non-missing values; the numbers are NaN when
/// the verdict is <see cref="DriftVerdict.InsufficientData"/>.
/// </summary>
public sealed record FeatureDrift(
    string Name,
    FeatureKind Kind,
    string Test,
    double Statistic,
    double PValue,
    double AdjustedPValue,
    string EffectMeasure,
    double EffectSize,
    double Psi,
    DriftVerdict Verdict,
    int ReferenceCount,
    int CurrentCount)
{
    /// <summary>How far the verdict is confirmed over repeated checks (<see cref="DriftConfirmation"/>); null on a single check.</summary>
    public string? Confirmation { get; init; }
}

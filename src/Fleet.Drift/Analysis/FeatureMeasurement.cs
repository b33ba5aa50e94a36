namespace Fleet.Drift.Analysis;

/// <summary>One feature's numbers before multiple-testing correction; NaN when it lacks data.</summary>
internal readonly record struct FeatureMeasurement(
    bool HasEnoughData,
    double Statistic,
    double PValue,
    double EffectSize,
    double Psi,
    int ReferenceCount,
    int CurrentCount)
{
    public static FeatureMeasurement Insufficient(int referenceCount, int currentCount) =>
        new(false, double.NaN, double.NaN, double.NaN, double.NaN, referenceCount, currentCount);
}

namespace Fleet.Monitoring.Quality;

/// <summary>
/// Confidence bounds for the quality verdict: a drop counts only when it exceeds the tolerance beyond the bound,
/// not just in the point estimate. The check repeats on every detector run, so the level is one-sided 99.9 %
/// (<see cref="Z"/>): at 80 labels an accuracy of 0.94 carries about ±0.09 at that level, and no healthy version
/// is rolled back on such evidence. Both sides are estimates: the reference's uncertainty (its own row count)
/// widens the bound too (Newcombe's hybrid score method for a difference of proportions).
/// </summary>
public static class QualityBounds
{
    /// <summary>One-sided 99.9 % normal quantile.</summary>
    public const double Z = 3.090232306167813;

    /// <summary>Wilson score interval of a proportion observed as <paramref name="proportion"/> on <paramref name="count"/> trials.</summary>
    public static (double Lower, double Upper) Wilson(double proportion, int count, double z = Z)
    {
        if (count <= 0 || !double.IsFinite(proportion))
            return (0, 1);
        var p = Math.Clamp(proportion, 0, 1);
        var z2 = z * z;
        var denominator = 1 + z2 / count;
        var centre = (p + z2 / (2.0 * count)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / count + z2 / (4.0 * count * count));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Lower confidence bound of <c>reference − live</c> accuracy (Newcombe: each side's Wilson interval).
    /// A drop is confirmed when this bound exceeds the tolerance.
    /// </summary>
    public static double AccuracyDropLower(double reference, int referenceCount, double live, int liveCount, double z = Z)
    {
        var (referenceLower, _) = Wilson(reference, referenceCount, z);
        var (_, liveUpper) = Wilson(live, liveCount, z);
        return reference - live - Math.Sqrt(Sq(reference - referenceLower) + Sq(liveUpper - live));
    }

    /// <summary>
    /// Lower confidence bound of <c>reference − estimate</c> for the label-free estimate, whose spread is its
    /// standard error (CBPE) and the reference's Wilson interval.
    /// </summary>
    public static double EstimatedDropLower(double reference, int referenceCount, AccuracyEstimate estimate, double z = Z)
    {
        var (referenceLower, _) = Wilson(reference, referenceCount, z);
        return reference - estimate.Accuracy - Math.Sqrt(Sq(reference - referenceLower) + Sq(z * estimate.StandardError));
    }

    /// <summary>
    /// Lower confidence bound of <c>live MAE − reference MAE × (1 + tolerance)</c>; a rise is confirmed when it is
    /// above 0. The spread of absolute errors comes from RMSE and MAE (var|e| = RMSE² − MAE²).
    /// </summary>
    public static double MaeRiseLower(RegressionQuality live, RegressionQuality reference, double tolerance, double z = Z)
    {
        if (live.Count <= 0 || reference.Count <= 0)
            return double.NegativeInfinity;
        var factor = 1 + tolerance;
        var spread = Math.Sqrt(Spread(live) / live.Count + factor * factor * Spread(reference) / reference.Count);
        return live.Mae - reference.Mae * factor - z * spread;
    }

    private static double Spread(RegressionQuality q) => Math.Max(0, q.Rmse * q.Rmse - q.Mae * q.Mae);

    private static double Sq(double x) => x * x;
}

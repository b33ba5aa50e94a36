namespace Fleet.Monitoring.Quality;

/// <summary>
/// Expected calibration error with equal-width bins on [0, 1]: Σ_b (n_b / n)·|accuracy_b − confidence_b|,
/// which is |Σ_b correct − Σ_b confidence| / n per bin. The last bin includes 1.
/// </summary>
internal static class CalibrationError
{
    public const int Bins = 10;

    public const double CalibratedLimit = 0.05;

    public static double Expected(ReadOnlySpan<double> confidence, ReadOnlySpan<bool> correct)
    {
        if (confidence.Length == 0)
            return double.NaN;
        Span<double> hits = stackalloc double[Bins];
        Span<double> mass = stackalloc double[Bins];
        hits.Clear();
        mass.Clear();
        for (var i = 0; i < confidence.Length; i++)
        {
            var bin = Math.Clamp((int)(confidence[i] * Bins), 0, Bins - 1);
            hits[bin] += correct[i] ? 1 : 0;
            mass[bin] += confidence[i];
        }

        double total = 0;
        for (var b = 0; b < Bins; b++)
            total += Math.Abs(hits[b] - mass[b]);
        return total / confidence.Length;
    }
}

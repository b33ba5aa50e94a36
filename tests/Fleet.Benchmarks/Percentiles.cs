namespace Fleet.Benchmarks;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of unsorted samples (sorts a copy).</summary>
    public static double Of(IReadOnlyList<double> samples, double p)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

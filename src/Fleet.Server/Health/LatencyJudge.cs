namespace Fleet.Server.Health;

/// <summary>
/// The latency check (pure): a golden run slower than <c>factor</c> × the version's baseline on this host (the median
/// of its first runs) fails, unless the slowdown is below the floor (timer noise on microsecond runs).
/// </summary>
internal static class LatencyJudge
{
    public static double Baseline(IReadOnlyList<double> firstRuns)
    {
        var sorted = firstRuns.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static (bool Passed, string Detail) Check(double milliseconds, double baseline, double factor, double floorMilliseconds)
    {
        var limit = Math.Max(baseline * factor, baseline + floorMilliseconds);
        return milliseconds <= limit
            ? (true, $"golden run {milliseconds:0.###} ms (baseline {baseline:0.###} ms)")
            : (false, $"golden run {milliseconds:0.###} ms is slower than {factor:0.##} × the baseline {baseline:0.###} ms (limit {limit:0.###} ms)");
    }
}

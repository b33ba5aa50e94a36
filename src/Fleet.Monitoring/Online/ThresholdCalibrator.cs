using System.Numerics;
using System.Runtime.InteropServices;

namespace Fleet.Monitoring.Online;

/// <summary>
/// Finds the threshold h whose mean run length on bootstrapped reference streams equals the expected run
/// time. Each path is simulated once, for up to <see cref="PathLengthMultiple"/> × ERT samples, keeping the
/// record values of its running maximum; the mean run length is then a monotone step function of h, with
/// steps only at record values, and a binary search over those values inverts it without re-simulating.
/// <para>
/// Speed-up without changing the answer: a pilot tenth of the paths runs to full length and gives a level L
/// whose mean run length is about <see cref="StopRunLengthMultiple"/> × ERT; the other paths stop at their
/// first record above L. Below L a stopped path's run lengths are exactly those of the full path, so when the
/// threshold found lies below L (almost always: it needs the pilot to be out by a factor of two) it is the
/// full simulation's threshold; otherwise the stopped paths are run to full length and it is searched again.
/// </para>
/// </summary>
internal static class ThresholdCalibrator
{
    // Run lengths are close to geometric, so about 1 path in 20 000 outlives 10 × ERT at the final h; the
    // few that do count as exponential tails (see MeanRunLength).
    public const int PathLengthMultiple = 10;

    private const double StopRunLengthMultiple = 2;

    private const int MinPilotPaths = 50;

    public static (double Threshold, CalibrationInfo Info) Calibrate(
        CusumIncrements increments, int expectedRunTime, int pathCount, int seed, string[] unmonitored)
    {
        var length = expectedRunTime * PathLengthMultiple;
        var paths = new RecordPath[pathCount];
        var pilot = Math.Min(pathCount, Math.Max(MinPilotPaths, pathCount / 10));
        Simulate(increments, length, seed, paths, 0, pilot, double.PositiveInfinity);
        var stopLevel = Solve(paths[..pilot], length, StopRunLengthMultiple * expectedRunTime);
        Simulate(increments, length, seed, paths, pilot, pathCount, stopLevel);

        var threshold = Solve(paths, length, expectedRunTime);
        if (!(threshold < stopLevel))
        {
            Simulate(increments, length, seed, paths, pilot, pathCount, double.PositiveInfinity);
            threshold = Solve(paths, length, expectedRunTime);
        }

        var (mean, standardError, censored) = Summarize(paths, length, threshold);
        var info = new CalibrationInfo(pathCount, length, censored, mean, standardError, increments.Rows, unmonitored);
        return (threshold, info);
    }

    private static void Simulate(CusumIncrements increments, int length, int seed, RecordPath[] paths, int from, int to, double stopAbove) =>
        Parallel.For(from, to, p => paths[p] = Simulate(increments, length, new PathRandom(seed, p), stopAbove));

    /// <summary>
    /// One bootstrapped stream: rows drawn with replacement, whole rows so that correlations stay. Stops
    /// early after the first record above <paramref name="stopAbove"/>.
    /// </summary>
    internal static RecordPath Simulate(CusumIncrements increments, int length, PathRandom random, double stopAbove)
    {
        var vectorsPerRow = increments.Width / Vector<double>.Count;
        ReadOnlySpan<Vector<double>> up = MemoryMarshal.Cast<double, Vector<double>>(increments.UpperIncrements);
        ReadOnlySpan<Vector<double>> down = MemoryMarshal.Cast<double, Vector<double>>(increments.LowerIncrements);
        Span<Vector<double>> upper = new Vector<double>[vectorsPerRow];
        Span<Vector<double>> lower = new Vector<double>[vectorsPerRow];
        var rows = increments.Rows;
        var path = new RecordPath();
        var best = 0.0;
        for (var t = 1; t <= length; t++)
        {
            var offset = random.NextIndex(rows) * vectorsPerRow;
            var max = Vector<double>.Zero;
            for (var j = 0; j < vectorsPerRow; j++)
            {
                var u = Vector.Max(Vector<double>.Zero, upper[j] + up[offset + j]);
                var l = Vector.Max(Vector<double>.Zero, lower[j] + down[offset + j]);
                upper[j] = u;
                lower[j] = l;
                max = Vector.Max(max, Vector.Max(u, l));
            }

            var statistic = HorizontalMax(max);
            if (statistic > best)
            {
                best = statistic;
                path.Add(t, statistic);
                if (statistic > stopAbove)
                    break;
            }
        }

        return path;
    }

    /// <summary>
    /// Mean run length at <paramref name="threshold"/>, censored paths treated as exponential tails: the
    /// maximum-likelihood mean is total observed time over alarms. Infinite when no path alarms.
    /// </summary>
    internal static double MeanRunLength(IReadOnlyList<RecordPath> paths, int length, double threshold)
    {
        double total = 0;
        var alarms = 0;
        foreach (var path in paths)
        {
            var run = path.RunLength(threshold);
            total += run < 0 ? length : run;
            alarms += run < 0 ? 0 : 1;
        }

        return alarms == 0 ? double.PositiveInfinity : total / alarms;
    }

    /// <summary>
    /// The smallest record value h with mean run length at least <paramref name="target"/> (the mean run
    /// length only changes at record values); +∞ if even the largest falls short.
    /// </summary>
    private static double Solve(RecordPath[] paths, int length, double target)
    {
        var values = new List<double> { 0 };
        foreach (var path in paths)
            values.AddRange(path.Values);
        var candidates = values.Distinct().Order().ToArray();
        int lo = 0, hi = candidates.Length; // answer index in [lo, hi]; hi = none
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (MeanRunLength(paths, length, candidates[mid]) >= target)
                hi = mid;
            else
                lo = mid + 1;
        }

        return lo < candidates.Length ? candidates[lo] : double.PositiveInfinity;
    }

    private static (double Mean, double StandardError, int Censored) Summarize(RecordPath[] paths, int length, double threshold)
    {
        var runs = paths.Select(p => p.RunLength(threshold)).ToArray();
        var censored = runs.Count(r => r < 0);
        var observed = runs.Select(r => r < 0 ? (double)length : r).ToArray();
        var mean = MeanRunLength(paths, length, threshold);
        var average = observed.Average();
        var variance = observed.Sum(x => (x - average) * (x - average)) / Math.Max(1, observed.Length - 1);
        return (mean, Math.Sqrt(variance / observed.Length), censored);
    }

    private static double HorizontalMax(Vector<double> v)
    {
        var max = v[0];
        for (var i = 1; i < Vector<double>.Count; i++)
            max = Math.Max(max, v[i]);
        return max;
    }
}

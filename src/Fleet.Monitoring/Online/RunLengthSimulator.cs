namespace Fleet.Monitoring.Online;

/// <summary>
/// Measures a calibrated detector by simulation through its public <see cref="SequentialDetector.Update"/>
/// path: the mean run length to a false alarm on a stationary stream, and the detection delay after a
/// change. Streams come from a <see cref="RowSampler"/>; <see cref="Bootstrap"/> and <see cref="Shifted"/>
/// build the usual ones. Run i draws from its own seeded generator (seed, i), so results are reproducible.
/// </summary>
public static class RunLengthSimulator
{
    private const int Batch = 64;

    /// <summary>Whole rows drawn with replacement from column-major <paramref name="referenceColumns"/>.</summary>
    public static RowSampler Bootstrap(IReadOnlyList<double[]> referenceColumns)
    {
        ArgumentNullException.ThrowIfNull(referenceColumns);
        var columns = referenceColumns.ToArray();
        if (columns.Length == 0 || columns[0].Length == 0 || columns.Any(c => c.Length != columns[0].Length))
            throw new ArgumentException("the reference needs at least one row and columns of equal length", nameof(referenceColumns));
        var rows = columns[0].Length;
        return (random, row) =>
        {
            var r = random.Next(rows);
            for (var c = 0; c < columns.Length; c++)
                row[c] = columns[c][r];
        };
    }

    /// <summary><paramref name="source"/> with <paramref name="amount"/> added to <paramref name="column"/>.</summary>
    public static RowSampler Shifted(RowSampler source, int column, double amount)
    {
        ArgumentNullException.ThrowIfNull(source);
        return (random, row) =>
        {
            source(random, row);
            row[column] += amount;
        };
    }

    /// <summary>Mean run length on a stream bootstrapped from the reference the detector was calibrated on.</summary>
    public static RunLengthSummary MeanRunLength(SequentialDetector detector, IReadOnlyList<double[]> referenceColumns, int runs, int seed) =>
        RunLengths(detector, Bootstrap(referenceColumns), runs, seed);

    /// <summary>
    /// Detection delay for a mean shift of <paramref name="delta"/> reference standard deviations on
    /// <paramref name="column"/>, after <paramref name="burnIn"/> unshifted bootstrapped samples.
    /// </summary>
    public static RunLengthSummary DetectionDelay(
        SequentialDetector detector, IReadOnlyList<double[]> referenceColumns, int column, double delta, int burnIn, int runs, int seed)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, detector.Names.Count);
        var before = Bootstrap(referenceColumns);
        var after = Shifted(before, column, delta * detector.ReferenceStds[column]);
        return DetectionDelays(detector, before, after, burnIn, runs, seed);
    }

    /// <summary>
    /// Samples to the first alarm on <paramref name="stream"/>, over <paramref name="runs"/> runs each
    /// with a new state; a run stops uncensored at <paramref name="maxSamples"/> (default 50 × ERT).
    /// </summary>
    public static RunLengthSummary RunLengths(SequentialDetector detector, RowSampler stream, int runs, int seed, long? maxSamples = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var limit = maxSamples ?? 50L * detector.ExpectedRunTime;
        var lengths = new double[runs];
        var censored = 0;
        var feeder = new Feeder(detector.Names.Count);
        for (var i = 0; i < runs; i++)
        {
            var random = new SeededRandom(seed, i);
            var (samples, alarmed) = feeder.UntilAlarm(detector, detector.NewState(), stream, random, limit);
            lengths[i] = samples;
            censored += alarmed ? 0 : 1;
        }

        return Summarize(lengths, censored, 0);
    }

    /// <summary>
    /// Delays after a change: each run feeds <paramref name="burnIn"/> samples of <paramref name="before"/>
    /// (starting a new state after any false alarm there, as a caller would) and then
    /// <paramref name="after"/> until the alarm, at most <paramref name="maxSamples"/> (default 50 × ERT).
    /// </summary>
    public static RunLengthSummary DetectionDelays(
        SequentialDetector detector, RowSampler before, RowSampler after, int burnIn, int runs, int seed, long? maxSamples = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfNegative(burnIn);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var limit = maxSamples ?? 50L * detector.ExpectedRunTime;
        var delays = new double[runs];
        var censored = 0;
        long burnInAlarms = 0;
        var feeder = new Feeder(detector.Names.Count);
        for (var i = 0; i < runs; i++)
        {
            var random = new SeededRandom(seed, i);
            var state = detector.NewState();
            long remaining = burnIn;
            while (remaining > 0)
            {
                var (samples, alarmed) = feeder.UntilAlarm(detector, state, before, random, remaining);
                remaining -= samples;
                if (alarmed)
                {
                    burnInAlarms++;
                    state = detector.NewState();
                }
            }

            var (delay, detected) = feeder.UntilAlarm(detector, state, after, random, limit);
            delays[i] = delay;
            censored += detected ? 0 : 1;
        }

        return Summarize(delays, censored, burnInAlarms);
    }

    private static RunLengthSummary Summarize(double[] values, int censored, long burnInAlarms)
    {
        var mean = values.Average();
        var variance = values.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, values.Length - 1);
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        return new RunLengthSummary(values.Length, mean, Math.Sqrt(variance / values.Length), median, censored, burnInAlarms);
    }

    /// <summary>Feeds sampled rows in batches, reusing the row arrays (Update keeps no reference to them).</summary>
    private sealed class Feeder(int columns)
    {
        private readonly double[][] _rows = Enumerable.Range(0, Batch).Select(_ => new double[columns]).ToArray();

        /// <summary>Samples consumed (the alarm row included) and whether an alarm ended it before <paramref name="limit"/>.</summary>
        public (long Samples, bool Alarmed) UntilAlarm(SequentialDetector detector, SequentialState state, RowSampler sampler, Random random, long limit)
        {
            long consumed = 0;
            while (consumed < limit)
            {
                var count = (int)Math.Min(Batch, limit - consumed);
                for (var r = 0; r < count; r++)
                    sampler(random, _rows[r]);
                var update = detector.Update(state, new ArraySegment<double[]>(_rows, 0, count));
                if (update.Alarm)
                    return (consumed + update.AlarmRow!.Value + 1, true);
                consumed += count;
            }

            return (consumed, false);
        }
    }
}

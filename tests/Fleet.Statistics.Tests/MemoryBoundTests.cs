namespace Fleet.Statistics.Tests;

/// <summary>The per-version memory bound of docs/statistics.md, with the default <see cref="StatsOptions"/>.</summary>
public sealed class MemoryBoundTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly StatsOptions Options = StatsOptions.Default;

    [Fact]
    public void Worst_case_windows_of_30_features_hold_84_full_slots_in_about_10_MB()
    {
        var snapshot = WorstCaseSnapshot(30);
        var perSnapshot = Options.MaxBucketsPerSign // latency: one sign, negatives are clamped to 0
            + (2 * Options.ConfidenceMaxBucketsPerSign)
            + (2 * Options.MaxBucketsPerSign)
            + (30 * 2 * Options.FeatureMaxBucketsPerSign);
        Assert.Equal(perSnapshot, snapshot.BucketCount);

        // One snapshot per hour slot 0..23 (the last one shares hour 23 with the minute ring), then 60 minutes.
        var windows = new StatsWindows();
        for (var hour = 0; hour < 24; hour++)
            windows.Add(snapshot with { End = T0.AddMinutes(hour * 60) });
        for (var minute = 1411; minute <= 1470; minute++)
            windows.Add(snapshot with { End = T0.AddMinutes(minute) });

        Assert.Equal(60, windows.MinuteSlotsInUse);
        Assert.Equal(24, windows.HourSlotsInUse);
        Assert.Equal(84L * perSnapshot, windows.BucketCount);
        Assert.InRange(windows.EstimatedBytes, 10_000_000, 11_500_000);
    }

    [Fact]
    public void Realistic_features_stay_under_the_caps_and_spread_ones_reach_them()
    {
        var names = Enumerable.Range(0, 30).Select(i => $"f{i}").ToArray();
        var recorder = new VersionStatsRecorder(names, T0);
        var windows = new StatsWindows();
        var random = new Random(5);
        var row = new float[30];
        for (var minute = 1; minute <= 25 * 60; minute++)
        {
            for (var i = 0; i < 10; i++)
            {
                for (var c = 0; c < 30; c++)
                {
                    row[c] = c switch
                    {
                        < 10 => (float)Seeded.Normal(random, 0, 1),      // standardized: tiny magnitudes near 0
                        < 20 => (float)Seeded.Normal(random, 50, 10),
                        _ => (float)Seeded.LogNormal(random, 0, 1),
                    };
                }

                recorder.RecordFeatures(row, 30);
            }

            windows.Add(recorder.TakeSnapshot(T0.AddMinutes(minute)));
        }

        var day = windows.Query(TimeSpan.FromHours(24), T0.AddMinutes(25 * 60));
        Assert.Equal(1441 * 10, day.Features[0].Count); // minutes 60..1500: hour slot 1 onwards, hour 0 dropped
        Assert.All(day.Features, f => Assert.True(f.PositiveCounts.Length <= Options.FeatureMaxBucketsPerSign && f.NegativeCounts.Length <= Options.FeatureMaxBucketsPerSign));
        Assert.All(day.Features[10..20], f => Assert.True(f.BucketCount < 100, $"{f.BucketCount} buckets"));
        Assert.True(windows.EstimatedBytes < 11_500_000);

        // Folding keeps a standardized feature's median near 0 in absolute terms, and lognormal σ=1 p05 within 2%.
        var summary = StatsSummary.From(day, TimeSpan.FromHours(24));
        Assert.InRange(summary.Features[0].P50!.Value, -0.05, 0.05);
        Assert.InRange(summary.Features[25].P05!.Value, Math.Exp(-1.645) * 0.9, Math.Exp(-1.645) * 1.1);
    }

    private static StatsSnapshot WorstCaseSnapshot(int features) =>
        StatsSnapshot.Empty(T0, T0) with
        {
            Latency = Full(Options.RelativeAccuracy, Options.MaxBucketsPerSign, bothSigns: false),
            Confidence = Full(Options.RelativeAccuracy, Options.ConfidenceMaxBucketsPerSign, bothSigns: true),
            Values = Full(Options.RelativeAccuracy, Options.MaxBucketsPerSign, bothSigns: true),
            FeatureNames = [.. Enumerable.Range(0, features).Select(i => $"f{i}")],
            Features = [.. Enumerable.Range(0, features).Select(_ => Full(Options.FeatureRelativeAccuracy, Options.FeatureMaxBucketsPerSign, bothSigns: true))],
            FeatureMissing = new long[features],
        };

    /// <summary>A sketch with every bucket of each sign in use: values half a bucket apart over more than the cap.</summary>
    private static SketchData Full(double alpha, int cap, bool bothSigns)
    {
        var sketch = new DDSketch(alpha, cap);
        var step = Math.Log((1 + alpha) / (1 - alpha)) / 2;
        for (var i = 0; i < (2 * cap) + 10; i++)
        {
            sketch.Add(Math.Exp(i * step));
            if (bothSigns)
                sketch.Add(-Math.Exp(i * step));
        }

        return sketch.ToData();
    }
}

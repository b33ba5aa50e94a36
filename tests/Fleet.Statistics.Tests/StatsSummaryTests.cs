namespace Fleet.Statistics.Tests;

public sealed class StatsSummaryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Summary_projects_counts_rates_and_quantiles()
    {
        var recorder = new VersionStatsRecorder(["a", "b"], T0);
        for (var i = 1; i <= 100; i++)
        {
            recorder.RecordRequest(i, 2);
            recorder.RecordFeatures([i, float.NaN], 2);
        }

        recorder.RecordError(ErrorKinds.BadInput);
        recorder.RecordError(ErrorKinds.Unavailable);
        recorder.RecordFallback("timeout");
        recorder.RecordViolation("a>0", 2);
        recorder.RecordOutliers(5);
        recorder.RecordClassOutputs([0.2f, 0.8f, 0.9f, 0.1f], 2);
        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(10));

        var summary = StatsSummary.From(snapshot, TimeSpan.FromMinutes(5));

        Assert.Equal(100, summary.Requests);
        Assert.Equal(200, summary.Rows);
        Assert.Equal(2.0 / 102, summary.ErrorRate);
        Assert.Equal(10, summary.ThroughputRps); // 100 requests over the 10 s covered, not the 300 s asked
        Assert.Equal(300, summary.WindowSeconds);
        Assert.Equal(1, summary.Fallbacks["timeout"]);
        Assert.Equal(2, summary.Violations["a>0"]);
        Assert.Equal(5, summary.Outliers);

        var latency = Assert.IsType<LatencySummary>(summary.LatencyMs);
        Assert.Equal(100, latency.Max);
        Assert.Equal(50.5, latency.Mean);
        Assert.InRange(latency.P50, 50 * 0.99, 50 * 1.01);
        Assert.InRange(latency.P99, 99 * 0.99, 99 * 1.01);

        var a = summary.Features[0];
        Assert.Equal(("a", 100L, 0L, 1.0, 100.0, 50.5), (a.Name, a.Count, a.Missing, a.Min!.Value, a.Max!.Value, a.Mean!.Value));
        Assert.InRange(a.P95!.Value, 95 * 0.98, 95 * 1.02);
        Assert.Equal(new FeatureSummary("b", 0, 100, null, null, null, null, null, null), summary.Features[1]);

        var outputs = Assert.IsType<OutputSummary>(summary.Outputs);
        Assert.Equal([1L, 1L], outputs.ClassCounts!);
        Assert.NotNull(outputs.Confidence);
        Assert.Null(outputs.Values);
    }

    [Fact]
    public void Summary_of_an_empty_window_has_no_parts_and_no_NaN()
    {
        var summary = StatsSummary.From(StatsSnapshot.Empty(T0, T0), TimeSpan.FromHours(1));

        Assert.Equal(0, summary.Requests);
        Assert.Equal(0, summary.ErrorRate);
        Assert.Equal(0, summary.ThroughputRps);
        Assert.Null(summary.LatencyMs);
        Assert.Null(summary.Outputs);
        Assert.Empty(summary.Features);
    }

    [Fact]
    public void Throughput_uses_the_window_when_the_data_covers_more()
    {
        var snapshot = StatsSnapshot.Empty(T0.AddHours(-25), T0) with { Requests = 86_400 };
        Assert.Equal(1, StatsSummary.From(snapshot, TimeSpan.FromHours(24)).ThroughputRps);
    }
}

namespace Fleet.Statistics.Tests;

/// <summary>A recorded snapshot with every kind of field filled, and exact comparisons of snapshots and sketches.</summary>
internal static class Snapshots
{
    internal static StatsSnapshot RecordedSnapshot(DateTimeOffset end)
    {
        var recorder = new VersionStatsRecorder(["age", "income", "age"], end.AddSeconds(-1));
        var random = new Random(end.Minute);
        for (var i = 0; i < 50; i++)
        {
            recorder.RecordRequest(1 + random.NextDouble(), 2);
            recorder.RecordFeatures([(float)random.NextDouble(), float.NaN, -3f, 40f, (float)Seeded.LogNormal(random, 8, 1), 0f], 3);
            recorder.RecordClassOutputs([0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f], 3);
            recorder.RecordValues([(double)i, -i]);
        }

        recorder.RecordError(ErrorKinds.BadInput);
        recorder.RecordError(ErrorKinds.RuntimeError);
        recorder.RecordFallback("timeout");
        recorder.RecordViolation("age>=0", 3);
        recorder.RecordOutliers(4);
        return recorder.TakeSnapshot(end);
    }

    internal static void AssertSameSnapshot(StatsSnapshot expected, StatsSnapshot actual)
    {
        Assert.Equal(expected.Start, actual.Start);
        Assert.Equal(expected.End, actual.End);
        Assert.Equal(expected.Requests, actual.Requests);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Outliers, actual.Outliers);
        Assert.Equal(expected.Errors.OrderBy(p => p.Key), actual.Errors.OrderBy(p => p.Key));
        Assert.Equal(expected.Fallbacks.OrderBy(p => p.Key), actual.Fallbacks.OrderBy(p => p.Key));
        Assert.Equal(expected.Violations.OrderBy(p => p.Key), actual.Violations.OrderBy(p => p.Key));
        Assert.Equal(expected.FeatureNames, actual.FeatureNames);
        Assert.Equal(expected.FeatureMissing, actual.FeatureMissing);
        Assert.Equal(expected.ClassCounts, actual.ClassCounts);
        AssertSameSketch(expected.Latency, actual.Latency);
        AssertSameSketch(expected.Confidence, actual.Confidence);
        AssertSameSketch(expected.Values, actual.Values);
        Assert.Equal(expected.Features.Length, actual.Features.Length);
        for (var i = 0; i < expected.Features.Length; i++)
            AssertSameSketch(expected.Features[i], actual.Features[i]);
    }

    internal static void AssertSameSketch(SketchData expected, SketchData actual)
    {
        Assert.Equal(expected with { PositiveCounts = [], NegativeCounts = [] }, actual with { PositiveCounts = [], NegativeCounts = [] });
        Assert.Equal(expected.PositiveCounts, actual.PositiveCounts);
        Assert.Equal(expected.NegativeCounts, actual.NegativeCounts);
    }
}

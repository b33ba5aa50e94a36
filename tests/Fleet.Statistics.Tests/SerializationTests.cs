using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Fleet.Statistics.Tests;

/// <summary>The types that cross silos or reach grain storage survive Orleans' serializer.</summary>
public sealed class SerializationTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer()
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void SketchData_round_trips()
    {
        var sketch = new DDSketch();
        foreach (var value in Samples.Generate(5_000, 11, r => Samples.Normal(r, 0, 50)))
            sketch.Add(value);
        sketch.Add(0);
        var data = sketch.ToData();

        var copy = RoundTrip(data);

        AssertSameSketch(data, copy);
        Assert.Equal(sketch.Quantile(0.9), DDSketch.FromData(copy).Quantile(0.9));
    }

    [Fact]
    public void Empty_SketchData_round_trips_with_NaN_min_and_max()
    {
        var copy = RoundTrip(SketchData.Empty());
        Assert.Equal(0, copy.Count);
        Assert.True(double.IsNaN(copy.Min));
        Assert.Empty(copy.PositiveCounts);
    }

    [Fact]
    public void StatsSnapshot_round_trips()
    {
        var snapshot = RecordedSnapshot(T0);

        var copy = RoundTrip(snapshot);

        AssertSameSnapshot(snapshot, copy);
    }

    [Fact]
    public void StatsWindowsState_round_trips_and_restores_the_same_answers()
    {
        var windows = new StatsWindows();
        for (var minute = 0; minute < 150; minute += 7)
            windows.Add(RecordedSnapshot(T0.AddMinutes(minute)));
        var now = T0.AddMinutes(150);

        var state = RoundTrip(windows.ToState());
        var restored = StatsWindows.FromState(state);

        Assert.Equal(windows.MinuteSlotsInUse, restored.MinuteSlotsInUse);
        Assert.Equal(windows.HourSlotsInUse, restored.HourSlotsInUse);
        Assert.Equal(windows.ToState().LatestMinute, state.LatestMinute);
        foreach (var window in new[] { TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(24) })
            AssertSameSnapshot(windows.Query(window, now), restored.Query(window, now));
    }

    internal static StatsSnapshot RecordedSnapshot(DateTimeOffset end)
    {
        var recorder = new VersionStatsRecorder(["age", "income", "age"], end.AddSeconds(-1));
        var random = new Random(end.Minute);
        for (var i = 0; i < 50; i++)
        {
            recorder.RecordRequest(1 + random.NextDouble(), 2);
            recorder.RecordFeatures([(float)random.NextDouble(), float.NaN, -3f, 40f, (float)Samples.LogNormal(random, 8, 1), 0f], 3);
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

    private T RoundTrip<T>(T value)
    {
        var bytes = _serializer.SerializeToArray(value);
        return _serializer.Deserialize<T>(bytes)!;
    }
}

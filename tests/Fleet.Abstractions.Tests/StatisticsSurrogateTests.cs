using Fleet.Statistics;

namespace Fleet.Abstractions.Tests;

/// <summary>The statistics that silos flush to grains and grains keep in storage survive Orleans' serializer.</summary>
public sealed class StatisticsSurrogateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SketchData_round_trips_with_its_quantiles()
    {
        var sketch = new DDSketch();
        foreach (var value in Seeded.Generate(5_000, 11, r => Seeded.Normal(r, 0, 50)))
            sketch.Add(value);
        sketch.Add(0);
        var data = sketch.ToData();

        var copy = OrleansRoundTrip.Copy(data);

        Assert.Equal(data with { PositiveCounts = [], NegativeCounts = [] }, copy with { PositiveCounts = [], NegativeCounts = [] });
        Assert.Equal(data.PositiveCounts, copy.PositiveCounts);
        Assert.Equal(data.NegativeCounts, copy.NegativeCounts);
        Assert.Equal(sketch.Quantile(0.9), DDSketch.FromData(copy).Quantile(0.9));
    }

    [Fact]
    public void Empty_SketchData_round_trips_with_NaN_min_and_max()
    {
        var copy = OrleansRoundTrip.Copy(SketchData.Empty());
        Assert.Equal(0, copy.Count);
        Assert.True(double.IsNaN(copy.Min));
        Assert.Empty(copy.PositiveCounts);
    }

    [Fact]
    public void Snapshots_and_windows_round_trip_and_answer_the_same()
    {
        var windows = new StatsWindows();
        for (var minute = 0; minute < 150; minute += 7)
            windows.Add(Recorded(T0.AddMinutes(minute)));
        var now = T0.AddMinutes(150);

        var snapshot = Recorded(T0);
        var snapshotCopy = OrleansRoundTrip.Copy(snapshot);
        Assert.Equal((snapshot.Requests, snapshot.Rows, snapshot.Outliers), (snapshotCopy.Requests, snapshotCopy.Rows, snapshotCopy.Outliers));
        Assert.Equal(snapshot.Errors.OrderBy(p => p.Key), snapshotCopy.Errors.OrderBy(p => p.Key));
        Assert.Equal(snapshot.FeatureMissing, snapshotCopy.FeatureMissing);
        Assert.Same(snapshot, OrleansRoundTrip.Copier.Copy(snapshot));

        var state = OrleansRoundTrip.Copy(windows.ToState());
        var restored = StatsWindows.FromState(state);
        Assert.Equal(windows.MinuteSlotsInUse, restored.MinuteSlotsInUse);
        Assert.Equal(windows.HourSlotsInUse, restored.HourSlotsInUse);
        foreach (var window in new[] { TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(24) })
        {
            var expected = windows.Query(window, now);
            var actual = restored.Query(window, now);
            Assert.Equal(OrleansRoundTrip.Serializer.SerializeToArray(expected), OrleansRoundTrip.Serializer.SerializeToArray(actual));
        }
    }

    private static StatsSnapshot Recorded(DateTimeOffset end)
    {
        var recorder = new VersionStatsRecorder(["age", "income"], end.AddSeconds(-1));
        var random = new Random(end.Minute);
        for (var i = 0; i < 50; i++)
        {
            recorder.RecordRequest(1 + random.NextDouble(), 2);
            recorder.RecordFeatures([(float)random.NextDouble(), float.NaN, -3f, (float)Seeded.LogNormal(random, 8, 1)], 2);
            recorder.RecordClassOutputs([0.1f, 0.9f, 0.7f, 0.3f], 2);
            recorder.RecordValues([(double)i, -i]);
        }

        recorder.RecordError(ErrorKinds.BadInput);
        recorder.RecordFallback("timeout");
        recorder.RecordViolation("age>=0", 3);
        recorder.RecordOutliers(4);
        return recorder.TakeSnapshot(end);
    }
}

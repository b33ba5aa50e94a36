namespace Fleet.Statistics.Tests;

public sealed class StatsSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Merge_adds_counts_spans_both_intervals_and_merges_sketches()
    {
        var a = Snapshots.RecordedSnapshot(T0.AddSeconds(1));
        var b = Snapshots.RecordedSnapshot(T0.AddSeconds(5));

        var merged = StatsSnapshot.Merge(a, b);

        Assert.Equal(a.Start, merged.Start);
        Assert.Equal(b.End, merged.End);
        Assert.Equal(a.Requests + b.Requests, merged.Requests);
        Assert.Equal(a.Rows + b.Rows, merged.Rows);
        Assert.Equal(a.Outliers + b.Outliers, merged.Outliers);
        Assert.Equal(2, merged.Errors[ErrorKinds.BadInput]);
        Assert.Equal(6, merged.Violations["age>=0"]);
        Assert.Equal(a.FeatureNames, merged.FeatureNames); // the repeated "age" stays two features
        Assert.Equal(a.Features[2].Count + b.Features[2].Count, merged.Features[2].Count);
        Assert.Equal(a.FeatureMissing.Zip(b.FeatureMissing, (x, y) => x + y), merged.FeatureMissing);
        Assert.Equal(a.ClassCounts.Zip(b.ClassCounts, (x, y) => x + y), merged.ClassCounts);
        Assert.Equal(a.Latency.Count + b.Latency.Count, merged.Latency.Count);
        Assert.Equal(Math.Max(a.Values.Max, b.Values.Max), merged.Values.Max);
    }

    [Fact]
    public void Merge_matches_features_by_name()
    {
        var a = new VersionStatsRecorder(["x", "y"], T0);
        a.RecordFeatures([1f, 2f], 2);
        var b = new VersionStatsRecorder(["y", "z"], T0);
        b.RecordFeatures([3f, 4f], 2);

        var merged = StatsSnapshot.Merge(a.TakeSnapshot(T0.AddSeconds(1)), b.TakeSnapshot(T0.AddSeconds(1)));

        Assert.Equal(["x", "y", "z"], merged.FeatureNames);
        Assert.Equal([1L, 2L, 1L], merged.Features.Select(f => f.Count));
        Assert.Equal(3, merged.Features[1].Max);
    }

    [Fact]
    public void Merge_with_an_empty_snapshot_keeps_the_data()
    {
        var a = Snapshots.RecordedSnapshot(T0.AddSeconds(1));
        var merged = StatsSnapshot.Merge(StatsSnapshot.Empty(T0, T0), a);
        Snapshots.AssertSameSnapshot(a with { Start = T0 }, merged);
    }

    [Fact]
    public void Merged_names_stay_bounded_keeping_the_largest_counts()
    {
        var a = StatsSnapshot.Empty(T0, T0) with { Errors = Enumerable.Range(0, 30).ToDictionary(i => $"a{i}", i => (long)i + 100) };
        var b = StatsSnapshot.Empty(T0, T0) with { Errors = Enumerable.Range(0, 10).ToDictionary(i => $"b{i}", i => (long)i + 1) };

        var merged = StatsSnapshot.Merge(a, b);

        Assert.Equal(33, merged.Errors.Count);
        Assert.Equal(a.ErrorCount + b.ErrorCount, merged.ErrorCount);
        Assert.Equal(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8, merged.Errors[ErrorKinds.Other]); // b0..b7 fold, b8 and b9 stay
        Assert.Equal(10, merged.Errors["b9"]);
    }
}

namespace Fleet.Statistics.Tests;

public sealed class VersionStatsRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] FeatureNames = ["f0", "f1", "f2", "f3", "f4"];

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Concurrent_recording_gives_exact_counts(int stripes)
    {
        const int tasks = 4;
        const int perTask = 10_000;
        var recorder = new VersionStatsRecorder(FeatureNames, T0, new StatsOptions { Stripes = stripes });

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() => RecordMany(recorder, t, perTask))));
        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        AssertTotals(snapshot, tasks * perTask);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Snapshots_taken_while_recording_lose_and_duplicate_nothing(int stripes)
    {
        const int tasks = 4;
        const int perTask = 10_000;
        var recorder = new VersionStatsRecorder(FeatureNames, T0, new StatsOptions { Stripes = stripes });
        var snapshots = new List<StatsSnapshot>();
        using var done = new CancellationTokenSource();

        var taker = Task.Run(() =>
        {
            var second = 1;
            while (!done.IsCancellationRequested)
                snapshots.Add(recorder.TakeSnapshot(T0.AddSeconds(second++)));
        });
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(() => RecordMany(recorder, t, perTask))));
        await done.CancelAsync();
        await taker;
        snapshots.Add(recorder.TakeSnapshot(T0.AddDays(1)));

        var merged = snapshots.Aggregate(StatsSnapshot.Merge);
        AssertTotals(merged, tasks * perTask);
        Assert.Equal(T0, merged.Start);

        // Consecutive snapshots tile time: each starts where the previous ended.
        for (var i = 1; i < snapshots.Count; i++)
            Assert.Equal(snapshots[i - 1].End, snapshots[i].Start);
    }

    [Fact]
    public void TakeSnapshot_resets_and_starts_the_next_interval_where_the_last_ended()
    {
        var recorder = new VersionStatsRecorder(FeatureNames, T0);
        RecordMany(recorder, 0, 10);

        var first = recorder.TakeSnapshot(T0.AddSeconds(1));
        var second = recorder.TakeSnapshot(T0.AddSeconds(2));

        Assert.Equal(10, first.Requests);
        Assert.False(first.IsEmpty);
        Assert.True(second.IsEmpty);
        Assert.Equal(0, second.Requests);
        Assert.Equal(0, second.Latency.Count);
        Assert.All(second.Features, f => Assert.Equal(0, f.Count));
        Assert.All(second.FeatureMissing, m => Assert.Equal(0, m));
        Assert.Empty(second.ClassCounts);
        Assert.Empty(second.Errors);
        Assert.Equal(T0, first.Start);
        Assert.Equal(T0.AddSeconds(1), second.Start);
        Assert.Equal(T0.AddSeconds(2), second.End);
        Assert.Equal(FeatureNames, second.FeatureNames);
    }

    [Fact]
    public void NaN_and_infinite_features_are_counted_as_missing_per_feature()
    {
        var recorder = new VersionStatsRecorder(["a", "b"], T0);
        recorder.RecordFeatures([1f, float.NaN, float.NaN, 2f, float.PositiveInfinity, 3f], 2);
        recorder.RecordFeatures([4.0, double.NaN], 2);

        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        Assert.Equal([2L, 2L], snapshot.FeatureMissing);
        Assert.Equal(2, snapshot.Features[0].Count);
        Assert.Equal(2, snapshot.Features[1].Count);
        Assert.Equal(1, snapshot.Features[0].Min);
        Assert.Equal(4, snapshot.Features[0].Max);
        Assert.Equal(2, snapshot.Features[1].Min);
        Assert.Equal(3, snapshot.Features[1].Max);
    }

    [Fact]
    public void Class_outputs_count_the_argmax_and_sketch_the_top_score()
    {
        var recorder = new VersionStatsRecorder([], T0);
        recorder.RecordClassOutputs(
        [
            0.1f, 0.7f, 0.2f,
            0.6f, 0.3f, 0.1f,
            0.2f, 0.2f, 0.6f,
            0.4f, 0.4f, 0.2f, // a tie goes to the first class
            float.NaN, float.NaN, float.NaN, // skipped
            float.NaN, 0.1f, 0.9f,
        ], 3);

        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        Assert.Equal([2L, 1L, 2L], snapshot.ClassCounts);
        Assert.Equal(5, snapshot.Confidence.Count);
        Assert.Equal(0.4f, snapshot.Confidence.Min);
        Assert.Equal(0.9f, snapshot.Confidence.Max);
    }

    [Fact]
    public void Values_go_to_the_value_sketch_and_skip_non_finite()
    {
        var recorder = new VersionStatsRecorder([], T0);
        recorder.RecordValues([1f, -2f, float.NaN]);
        recorder.RecordValues([double.PositiveInfinity, 10.0]);

        var values = recorder.TakeSnapshot(T0.AddSeconds(1)).Values;

        Assert.Equal(3, values.Count);
        Assert.Equal(-2, values.Min);
        Assert.Equal(10, values.Max);
        Assert.Equal(9, values.Sum);
    }

    [Fact]
    public void Names_are_bounded_to_32_per_category_and_the_rest_count_as_other()
    {
        var recorder = new VersionStatsRecorder([], T0, new StatsOptions { Stripes = 1 });
        for (var i = 0; i < 40; i++)
        {
            recorder.RecordError($"kind-{i}");
            recorder.RecordFallback($"reason-{i}");
            recorder.RecordViolation($"rule-{i}", 2);
        }

        recorder.RecordError("kind-0");
        recorder.RecordError(ErrorKinds.Other);

        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        Assert.Equal(33, snapshot.Errors.Count);
        Assert.Equal(2, snapshot.Errors["kind-0"]);
        Assert.Equal(9, snapshot.Errors[ErrorKinds.Other]);
        Assert.False(snapshot.Errors.ContainsKey("kind-35"));
        Assert.Equal(8, snapshot.Fallbacks[ErrorKinds.Other]);
        Assert.Equal(16, snapshot.Violations[ErrorKinds.Other]);
        Assert.Equal(42, snapshot.ErrorCount);
    }

    [Fact]
    public void Feature_columns_must_match_the_feature_names()
    {
        var recorder = new VersionStatsRecorder(["a", "b"], T0);
        Assert.Throws<ArgumentException>(() => recorder.RecordFeatures([1f, 2f, 3f], 3));
        Assert.Throws<ArgumentException>(() => recorder.RecordFeatures([1f, 2f, 3f], 2));
        Assert.Throws<ArgumentException>(() => recorder.RecordClassOutputs([0.5f, 0.5f, 1f], 2));
    }

    [Fact]
    public void Large_batches_are_recorded_whole_across_lock_chunks()
    {
        var recorder = new VersionStatsRecorder(["a", "b", "c"], T0, new StatsOptions { RowsPerLock = 7 });
        var rows = Enumerable.Range(0, 1000 * 3).Select(i => (float)i).ToArray();
        recorder.RecordFeatures(rows, 3);
        recorder.RecordValues(rows);
        recorder.RecordClassOutputs(rows, 3);

        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        Assert.All(snapshot.Features, f => Assert.Equal(1000, f.Count));
        Assert.Equal(3000, snapshot.Values.Count);
        Assert.Equal([0L, 0L, 1000L], snapshot.ClassCounts);
    }

    [Fact]
    public void Feature_and_output_sketches_use_the_configured_accuracy_and_caps()
    {
        var options = new StatsOptions { FeatureRelativeAccuracy = 0.02, FeatureMaxBucketsPerSign = 100, MaxBucketsPerSign = 300 };
        var recorder = new VersionStatsRecorder(["a"], T0, options);
        recorder.RecordFeatures([1f], 1);
        recorder.RecordRequest(5, 1);

        var snapshot = recorder.TakeSnapshot(T0.AddSeconds(1));

        Assert.Equal(0.02, snapshot.Features[0].Alpha);
        Assert.Equal(100, snapshot.Features[0].MaxBucketsPerSign);
        Assert.Equal(0.01, snapshot.Latency.Alpha);
        Assert.Equal(300, snapshot.Latency.MaxBucketsPerSign);
    }

    /// <summary>Per record: one request of 3 rows (latency t+1 ms), 3 feature rows (f1 NaN on even i), 3 class rows, an error every 10th.</summary>
    private static void RecordMany(VersionStatsRecorder recorder, int task, int count)
    {
        Span<float> features = stackalloc float[3 * FeatureNames.Length];
        Span<float> classes = stackalloc float[3 * 3];
        for (var i = 0; i < count; i++)
        {
            recorder.RecordRequest(task + 1, 3);
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < FeatureNames.Length; c++)
                    features[(r * FeatureNames.Length) + c] = c == 1 && i % 2 == 0 ? float.NaN : i + c;
                classes[(r * 3) + 0] = 0.1f;
                classes[(r * 3) + 1] = r == 1 ? 0.8f : 0.2f;
                classes[(r * 3) + 2] = r == 1 ? 0.1f : 0.7f;
            }

            recorder.RecordFeatures(features, FeatureNames.Length);
            recorder.RecordClassOutputs(classes, 3);
            if (i % 10 == 0)
                recorder.RecordError(ErrorKinds.RuntimeError);
        }
    }

    private static void AssertTotals(StatsSnapshot snapshot, int records)
    {
        Assert.Equal(records, snapshot.Requests);
        Assert.Equal(3L * records, snapshot.Rows);
        Assert.Equal(records, snapshot.Latency.Count);
        Assert.Equal(records / 10, snapshot.Errors[ErrorKinds.RuntimeError]);
        for (var c = 0; c < FeatureNames.Length; c++)
        {
            var missing = c == 1 ? 3L * records / 2 : 0;
            Assert.Equal(missing, snapshot.FeatureMissing[c]);
            Assert.Equal((3L * records) - missing, snapshot.Features[c].Count);
        }

        Assert.Equal([0L, records, 2L * records], snapshot.ClassCounts);
        Assert.Equal(3L * records, snapshot.ClassCounts.Sum());
        Assert.Equal(3L * records, snapshot.Confidence.Count);
    }
}

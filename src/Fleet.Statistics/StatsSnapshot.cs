namespace Fleet.Statistics;

/// <summary>
/// One version's statistics over an interval: what a silo flushes every second, what a window slot
/// holds and what a window query returns. Immutable: the dictionaries and arrays must not be mutated.
/// <see cref="Features"/>[i] and <see cref="FeatureMissing"/>[i] belong to <see cref="FeatureNames"/>[i];
/// <see cref="ClassCounts"/>[c] counts rows whose argmax was class c (empty when no class outputs).
/// </summary>
public sealed record StatsSnapshot(
    DateTimeOffset Start,
    DateTimeOffset End,
    long Requests,
    long Rows,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyDictionary<string, long> Fallbacks,
    IReadOnlyDictionary<string, long> Violations,
    long Outliers,
    SketchData Latency,
    string[] FeatureNames,
    SketchData[] Features,
    long[] FeatureMissing,
    long[] ClassCounts,
    SketchData Confidence,
    SketchData Values)
{
    /// <summary>True when nothing at all was recorded (a silo need not send such a snapshot).</summary>
    public bool IsEmpty =>
        Requests == 0 && Rows == 0 && Outliers == 0 && Errors.Count == 0 && Fallbacks.Count == 0 && Violations.Count == 0 &&
        Latency.Count == 0 && Confidence.Count == 0 && Values.Count == 0 && ClassCounts.Length == 0 &&
        Features.All(f => f.Count == 0) && FeatureMissing.All(m => m == 0);

    /// <summary>Sum of <see cref="Errors"/>.</summary>
    public long ErrorCount => Errors.Values.Sum();

    /// <summary>Buckets held by all sketches.</summary>
    public int BucketCount => Latency.BucketCount + Confidence.BucketCount + Values.BucketCount + Features.Sum(f => f.BucketCount);

    /// <summary>Approximate heap bytes: sketches, arrays and dictionaries.</summary>
    public long EstimatedBytes =>
        256 + Latency.EstimatedBytes + Confidence.EstimatedBytes + Values.EstimatedBytes +
        Features.Sum(f => f.EstimatedBytes) + (8L * (FeatureMissing.Length + ClassCounts.Length + FeatureNames.Length)) +
        (64L * (Errors.Count + Fallbacks.Count + Violations.Count));

    /// <summary>A snapshot with nothing recorded.</summary>
    public static StatsSnapshot Empty(DateTimeOffset start, DateTimeOffset end) => new(
        start, end, 0, 0, new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(), 0,
        SketchData.Empty(), [], [], [], [], SketchData.Empty(), SketchData.Empty());

    /// <summary>
    /// Both snapshots' statistics together (pure): the interval spans both, counts add, sketches merge,
    /// features are matched by name (a name in only one side keeps that side's data), and name counts stay
    /// bounded to <see cref="StatsOptions.MaxNames"/> names plus "other".
    /// </summary>
    public static StatsSnapshot Merge(StatsSnapshot a, StatsSnapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var accumulator = new SnapshotAccumulator();
        accumulator.Add(a);
        accumulator.Add(b);
        return accumulator.ToSnapshot();
    }
}

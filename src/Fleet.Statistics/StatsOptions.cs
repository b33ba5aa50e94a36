namespace Fleet.Statistics;

/// <summary>
/// Accuracy and memory bounds of one version's statistics. Feature sketches get a coarser accuracy and
/// a lower cap than latency and outputs so that a version's 84 window slots stay near 10 MB in the
/// worst case (docs/statistics.md, "Memory bound"). Every silo must use the same accuracies: sketches
/// of different accuracy do not merge.
/// </summary>
public sealed record StatsOptions
{
    public static StatsOptions Default { get; } = new();

    /// <summary>Relative accuracy of the latency, confidence and output-value sketches.</summary>
    public double RelativeAccuracy { get; init; } = DDSketch.DefaultRelativeAccuracy;

    /// <summary>Per-sign bucket cap of the latency and output-value sketches (8.9 decades at 1%).</summary>
    public int MaxBucketsPerSign { get; init; } = 1024;

    /// <summary>Per-sign bucket cap of the confidence sketch (4.4 decades at 1%: top scores of up to 10^4 classes).</summary>
    public int ConfidenceMaxBucketsPerSign { get; init; } = 512;

    /// <summary>Relative accuracy of each feature's sketch (the 2% required; half the buckets of 1%).</summary>
    public double FeatureRelativeAccuracy { get; init; } = 0.02;

    /// <summary>
    /// Per-sign bucket cap of each feature's sketch: 3.3 decades below the largest magnitude of each sign
    /// at 2%. Smaller magnitudes fold into the lowest bucket (docs/statistics.md, "Memory bound").
    /// </summary>
    public int FeatureMaxBucketsPerSign { get; init; } = 192;

    /// <summary>
    /// Distinct names kept per category (error kinds, fallback reasons, violated rules), in a recorder and
    /// in merged snapshots alike; the rest count as "other".
    /// </summary>
    public const int MaxNames = 32;

    /// <summary>Class histogram length bound; argmax classes beyond it are not counted (confidence still is).</summary>
    public int MaxClasses { get; init; } = 4096;

    /// <summary>Most rows recorded per lock hold in batch calls (feature batches also at most 256 values), so a large batch does not stall other requests.</summary>
    public int RowsPerLock { get; init; } = 64;

    /// <summary>
    /// Lock stripes of a recorder (each with two buffers): record calls use the stripe of their processor,
    /// so concurrent requests rarely contend. Memory grows with it; 1 gives a single lock.
    /// </summary>
    public int Stripes { get; init; } = Math.Min(Environment.ProcessorCount, 4);

    internal void Validate()
    {
        if (!(RelativeAccuracy > 0 && RelativeAccuracy < 1) || !(FeatureRelativeAccuracy > 0 && FeatureRelativeAccuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(RelativeAccuracy), "relative accuracies must be in (0, 1)");
        if (MaxBucketsPerSign < 1 || ConfidenceMaxBucketsPerSign < 1 || FeatureMaxBucketsPerSign < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBucketsPerSign), "bucket caps must be at least 1");
        if (MaxClasses < 1 || RowsPerLock < 1 || Stripes < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxClasses), "MaxClasses, RowsPerLock and Stripes must be at least 1");
    }
}

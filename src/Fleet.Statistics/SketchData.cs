namespace Fleet.Statistics;

/// <summary>
/// The serialized, immutable form of a <see cref="DDSketch"/>: what snapshots carry between silos and
/// grains and what the windows keep. Bucket counts are dense arrays from the lowest to the highest
/// bucket in use (<c>PositiveCounts[k]</c> is bucket <c>PositiveOffset + k</c>); the negative store holds
/// |x| of negative values. <see cref="Min"/> and <see cref="Max"/> are NaN when <see cref="Count"/> is 0.
/// Do not mutate the arrays: instances are shared without copying.
/// </summary>
public sealed record SketchData(
    double Alpha,
    int MaxBucketsPerSign,
    long ZeroCount,
    long Count,
    double Min,
    double Max,
    double Sum,
    int PositiveOffset,
    long[] PositiveCounts,
    int NegativeOffset,
    long[] NegativeCounts)
{
    /// <summary>Buckets held, both signs (the zero count not included).</summary>
    public int BucketCount => PositiveCounts.Length + NegativeCounts.Length;

    /// <summary>Approximate heap bytes of this instance: the two arrays plus object headers and fields.</summary>
    public long EstimatedBytes => 96 + (2 * 24) + (8L * BucketCount);

    /// <summary>
    /// How many recorded values are above <paramref name="value"/> (a positive number), within the sketch's relative
    /// accuracy: the values in buckets wholly above the one <paramref name="value"/> falls in (that bucket's own values,
    /// within <see cref="Alpha"/> of it, are not counted).
    /// </summary>
    public long CountAbove(double value)
    {
        if (!(value > 0) || Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "CountAbove takes a positive threshold of a non-empty sketch");
        }

        if (value >= Max)
        {
            return 0;
        }

        var index = LogMapping.For(Alpha).IndexOf(value);
        long above = 0;
        for (var k = Math.Max(0, index + 1 - PositiveOffset); k < PositiveCounts.Length; k++)
        {
            above += PositiveCounts[k];
        }

        return above;
    }

    public static SketchData Empty(double alpha = DDSketch.DefaultRelativeAccuracy, int maxBucketsPerSign = DDSketch.DefaultMaxBucketsPerSign) =>
        new(alpha, maxBucketsPerSign, 0, 0, double.NaN, double.NaN, 0, 0, [], 0, []);

    /// <summary>
    /// The sketch of both inputs' values (pure). An empty side returns the other unchanged, so empty
    /// data of any accuracy merges; two non-empty sides must share <see cref="Alpha"/>.
    /// </summary>
    public static SketchData Merge(SketchData a, SketchData b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (b.Count == 0)
            return a;
        if (a.Count == 0)
            return b;
        var sketch = DDSketch.FromData(a);
        sketch.Merge(b);
        return sketch.ToData();
    }
}

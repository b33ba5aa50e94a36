namespace Fleet.Statistics;

/// <summary>
/// A mergeable quantile sketch with relative accuracy α (DDSketch, Masson et al., VLDB 2019): with
/// γ = (1+α)/(1−α), a value x lands in bucket i = ceil(log_γ |x|) and is estimated as 2γ^i/(γ+1), so a
/// quantile estimate is within α·|v| of the true sample value v at that rank.
/// <para>
/// Rank convention: <see cref="Quantile"/>(q) estimates the sorted sample at 0-based rank
/// floor(q·(n−1)) (the "lower" order statistic); q = 0 gives <see cref="Min"/>, q = 1 <see cref="Max"/>.
/// </para>
/// <para>
/// Positive and negative values have separate stores of at most <see cref="MaxBucketsPerSign"/>
/// buckets each; |x| &lt; <see cref="ZeroThreshold"/> counts as zero (estimated as 0, then clamped to
/// [Min, Max]). A store that would exceed its cap folds its lowest-magnitude buckets into one, so
/// accuracy degrades only for values more than γ^cap times smaller than the largest magnitude of that
/// sign (for all-positive data: the lowest quantiles). NaN and ±Infinity are ignored: callers count them
/// as missing. Not thread-safe; <see cref="VersionStatsRecorder"/> guards its sketches with a lock.
/// </para>
/// </summary>
public sealed class DDSketch
{
    public const double DefaultRelativeAccuracy = 0.01;
    public const int DefaultMaxBucketsPerSign = 2048;
    public const double ZeroThreshold = 1e-9;

    private readonly LogMapping _mapping;
    private readonly DenseBucketStore _positive;
    private readonly DenseBucketStore _negative;
    private long _zeroCount;
    private long _count;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _sum;

    public DDSketch(double relativeAccuracy = DefaultRelativeAccuracy, int maxBucketsPerSign = DefaultMaxBucketsPerSign)
        : this(LogMapping.For(relativeAccuracy), maxBucketsPerSign)
    {
    }

    /// <summary>Sketches sharing <paramref name="mapping"/> accept its keys in <see cref="AddKeyed"/>.</summary>
    internal DDSketch(LogMapping mapping, int maxBucketsPerSign)
    {
        if (maxBucketsPerSign < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBucketsPerSign), maxBucketsPerSign, "must be at least 1");

        _mapping = mapping;
        MaxBucketsPerSign = maxBucketsPerSign;
        _positive = new DenseBucketStore(maxBucketsPerSign);
        _negative = new DenseBucketStore(maxBucketsPerSign);
    }

    public double RelativeAccuracy => _mapping.RelativeAccuracy;

    public int MaxBucketsPerSign { get; }

    public long Count => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Exact smallest value added; NaN when empty.</summary>
    public double Min => _count == 0 ? double.NaN : _min;

    /// <summary>Exact largest value added; NaN when empty.</summary>
    public double Max => _count == 0 ? double.NaN : _max;

    public double Sum => _sum;

    /// <summary>Sum / Count; NaN when empty.</summary>
    public double Mean => _count == 0 ? double.NaN : _sum / _count;

    public long ZeroCount => _zeroCount;

    /// <summary>Buckets in use, both signs (the zero count not included).</summary>
    public int BucketCount => _positive.BucketCount + _negative.BucketCount;

    /// <summary>True when a store hit its cap and folded low-magnitude buckets (low quantiles lose accuracy).</summary>
    public bool HasCollapsed => _positive.HasCollapsed || _negative.HasCollapsed;

    /// <summary>Approximate heap bytes, counting the stores' allocated capacity.</summary>
    public long EstimatedBytes => 160 + _positive.AllocatedBytes + _negative.AllocatedBytes;

    /// <summary>Adds one value; NaN and ±Infinity are ignored.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
            return;
        AddToStore(value, 1);
        AddScalars(value);
    }

    /// <summary>Adds <paramref name="count"/> copies of one value; NaN and ±Infinity are ignored.</summary>
    public void Add(double value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0 || !double.IsFinite(value))
            return;
        AddToStore(value, count);
        _count += count;
        _sum += value * count;
        if (value < _min)
            _min = value;
        if (value > _max)
            _max = value;
    }

    /// <summary>Adds every value of <paramref name="other"/>. Both must have the same relative accuracy.</summary>
    public void Merge(DDSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            Merge(ToData());
            return;
        }

        RequireSameAccuracy(other.RelativeAccuracy);
        if (other._count == 0)
            return;
        _positive.AddRange(other._positive.MinIndex, other._positive.Counts);
        _negative.AddRange(other._negative.MinIndex, other._negative.Counts);
        MergeScalars(other._zeroCount, other._count, other._min, other._max, other._sum);
    }

    /// <summary>Adds every value of <paramref name="data"/>. Both must have the same relative accuracy.</summary>
    public void Merge(SketchData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
            return;
        RequireSameAccuracy(data.Alpha);
        _positive.AddRange(data.PositiveOffset, data.PositiveCounts);
        _negative.AddRange(data.NegativeOffset, data.NegativeCounts);
        MergeScalars(data.ZeroCount, data.Count, data.Min, data.Max, data.Sum);
    }

    /// <summary>
    /// The estimate of the sample at rank floor(q·(n−1)), within α relative error; NaN when empty.
    /// </summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "quantile must be in [0, 1]");
        if (_count == 0)
            return double.NaN;

        var rank = (long)Math.Floor(q * (_count - 1));
        if (rank == 0)
            return _min; // the extreme order statistics are known exactly
        if (rank == _count - 1)
            return _max;

        double estimate;
        long seen = 0;

        // Ascending values: negatives from the largest magnitude down, then zero, then positives up.
        var negative = _negative.Counts;
        for (var i = negative.Length - 1; i >= 0; i--)
        {
            seen += negative[i];
            if (seen > rank)
            {
                estimate = -ValueOf(_negative.MinIndex + i);
                return Math.Clamp(estimate, _min, _max);
            }
        }

        seen += _zeroCount;
        if (seen > rank)
            return Math.Clamp(0, _min, _max);

        var positive = _positive.Counts;
        for (var i = 0; i < positive.Length; i++)
        {
            seen += positive[i];
            if (seen > rank)
            {
                estimate = ValueOf(_positive.MinIndex + i);
                return Math.Clamp(estimate, _min, _max);
            }
        }

        return _max;
    }

    public void Clear()
    {
        _positive.Clear();
        _negative.Clear();
        _zeroCount = 0;
        _count = 0;
        _sum = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
    }

    /// <summary>A compact immutable copy: dense counts from the lowest to the highest bucket in use.</summary>
    public SketchData ToData() => new(
        RelativeAccuracy,
        MaxBucketsPerSign,
        _zeroCount,
        _count,
        Min,
        Max,
        _sum,
        _positive.IsEmpty ? 0 : _positive.MinIndex,
        _positive.Counts.ToArray(),
        _negative.IsEmpty ? 0 : _negative.MinIndex,
        _negative.Counts.ToArray());

    public static DDSketch FromData(SketchData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sketch = new DDSketch(data.Alpha, data.MaxBucketsPerSign);
        sketch.Merge(data);
        if (sketch.StoredValues() != data.Count)
            throw new ArgumentException($"sketch data is inconsistent: buckets hold {sketch.StoredValues()} values, count says {data.Count}", nameof(data));
        return sketch;
    }

    /// <summary>
    /// Adds <paramref name="value"/> given its key from this sketch's <see cref="LogMapping.KeyOf"/>, so
    /// the logarithm can be computed outside a lock. A <see cref="LogMapping.MissingKey"/> is ignored.
    /// </summary>
    internal void AddKeyed(double value, long key)
    {
        switch (key & ~0xFFFF_FFFFL)
        {
            case LogMapping.PositiveTag:
                _positive.Add((int)key, 1);
                break;
            case LogMapping.NegativeTag:
                _negative.Add((int)key, 1);
                break;
            case LogMapping.ZeroKey:
                _zeroCount++;
                break;
            default:
                return;
        }

        AddScalars(value);
    }

    private long StoredValues() => _positive.Total + _negative.Total + _zeroCount;

    private void AddToStore(double value, long count)
    {
        if (value > ZeroThreshold)
            _positive.Add(IndexOf(value), count);
        else if (value < -ZeroThreshold)
            _negative.Add(IndexOf(-value), count);
        else
            _zeroCount += count;
    }

    private int IndexOf(double magnitude) => _mapping.IndexOf(magnitude);

    private double ValueOf(int index) => _mapping.ValueOf(index);

    private void AddScalars(double value)
    {
        _count++;
        _sum += value;
        if (value < _min)
            _min = value;
        if (value > _max)
            _max = value;
    }

    private void MergeScalars(long zeroCount, long count, double min, double max, double sum)
    {
        _zeroCount += zeroCount;
        _count += count;
        _sum += sum;
        if (min < _min)
            _min = min;
        if (max > _max)
            _max = max;
    }

    private void RequireSameAccuracy(double alpha)
    {
        if (alpha != RelativeAccuracy)
            throw new ArgumentException($"cannot merge sketches of different relative accuracy ({alpha} into {RelativeAccuracy})");
    }
}

using System.Numerics;

namespace Fleet.Statistics;

/// <summary>
/// One interval's mutable aggregates for a version. Not thread-safe: <see cref="VersionStatsRecorder"/>
/// writes it under a lock and swaps it out whole for <see cref="VersionStatsRecorder.TakeSnapshot"/>.
/// Clearing keeps every array and dictionary, so recording allocates only while they first grow.
/// </summary>
internal sealed class RecorderBuffer
{
    private readonly int _maxClasses;
    private readonly DDSketch[] _features;
    private readonly long[] _missing;
    private readonly Dictionary<string, long> _errors = [];
    private readonly Dictionary<string, long> _fallbacks = [];
    private readonly Dictionary<string, long> _violations = [];
    private readonly DDSketch _latency;
    private readonly DDSketch _confidence;
    private readonly DDSketch _values;
    private long[] _classCounts = [];
    private long _requests;
    private long _rows;
    private long _outliers;

    /// <param name="outputMapping">Mapping of the latency, confidence and value sketches: keys passed in must come from it.</param>
    /// <param name="featureMapping">Mapping of the feature sketches: feature keys passed in must come from it.</param>
    public RecorderBuffer(int featureCount, StatsOptions options, LogMapping outputMapping, LogMapping featureMapping)
    {
        _maxClasses = options.MaxClasses;
        _latency = new DDSketch(outputMapping, options.MaxBucketsPerSign);
        _confidence = new DDSketch(outputMapping, options.ConfidenceMaxBucketsPerSign);
        _values = new DDSketch(outputMapping, options.MaxBucketsPerSign);
        _features = new DDSketch[featureCount];
        for (var i = 0; i < featureCount; i++)
            _features[i] = new DDSketch(featureMapping, options.FeatureMaxBucketsPerSign);
        _missing = new long[featureCount];
    }

    public void AddRequest(double latencyMs, long latencyKey, int rows)
    {
        _requests++;
        _rows += rows;
        _latency.AddKeyed(latencyMs, latencyKey);
    }

    public void AddError(string kind) => NameCounts.Add(_errors, kind, 1, StatsOptions.MaxNames);

    public void AddFallback(string reason) => NameCounts.Add(_fallbacks, reason, 1, StatsOptions.MaxNames);

    public void AddViolation(string rule, long count) => NameCounts.Add(_violations, rule, count, StatsOptions.MaxNames);

    public void AddOutliers(long rows) => _outliers += rows;

    /// <summary>Whole rows of a row-major matrix with one column per feature, with each value's key.</summary>
    public void AddFeatures<T>(ReadOnlySpan<T> rowMajor, ReadOnlySpan<long> keys)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var features = _features;
        var missing = _missing;
        var column = 0;
        for (var i = 0; i < rowMajor.Length; i++)
        {
            if (keys[i] == LogMapping.MissingKey)
                missing[column]++;
            else
                features[column].AddKeyed(double.CreateTruncating(rowMajor[i]), keys[i]);
            if (++column == features.Length)
                column = 0;
        }
    }

    /// <summary>
    /// Rows of class scores already reduced to their argmax (-1: no finite score) and top score with its key.
    /// </summary>
    public void AddClassOutputs(int classes, ReadOnlySpan<int> argmax, ReadOnlySpan<double> confidence, ReadOnlySpan<long> keys)
    {
        if (classes <= _maxClasses && classes > _classCounts.Length)
            Array.Resize(ref _classCounts, classes);

        for (var i = 0; i < argmax.Length; i++)
        {
            if (argmax[i] < 0)
                continue;
            if (argmax[i] < _classCounts.Length)
                _classCounts[argmax[i]]++;
            _confidence.AddKeyed(confidence[i], keys[i]);
        }
    }

    public void AddValues<T>(ReadOnlySpan<T> values, ReadOnlySpan<long> keys)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
            _values.AddKeyed(double.CreateTruncating(values[i]), keys[i]); // missing keys are ignored
    }

    /// <summary>Adds <paramref name="other"/>'s aggregates into this buffer (used to combine stripes).</summary>
    public void MergeFrom(RecorderBuffer other)
    {
        _requests += other._requests;
        _rows += other._rows;
        _outliers += other._outliers;
        foreach (var (name, count) in other._errors)
            NameCounts.Add(_errors, name, count, StatsOptions.MaxNames);
        foreach (var (name, count) in other._fallbacks)
            NameCounts.Add(_fallbacks, name, count, StatsOptions.MaxNames);
        foreach (var (name, count) in other._violations)
            NameCounts.Add(_violations, name, count, StatsOptions.MaxNames);
        _latency.Merge(other._latency);
        _confidence.Merge(other._confidence);
        _values.Merge(other._values);
        for (var i = 0; i < _features.Length; i++)
        {
            _features[i].Merge(other._features[i]);
            _missing[i] += other._missing[i];
        }

        if (other._classCounts.Length > _classCounts.Length)
            Array.Resize(ref _classCounts, other._classCounts.Length);
        for (var i = 0; i < other._classCounts.Length; i++)
            _classCounts[i] += other._classCounts[i];
    }

    public StatsSnapshot ToSnapshot(DateTimeOffset start, DateTimeOffset end, string[] featureNames)
    {
        var features = new SketchData[_features.Length];
        for (var i = 0; i < features.Length; i++)
            features[i] = _features[i].ToData();

        // An interval without class outputs carries no histogram rather than a row of zeros.
        var classCounts = _classCounts.AsSpan().ContainsAnyExcept(0L) ? _classCounts.ToArray() : [];

        return new StatsSnapshot(
            start,
            end,
            _requests,
            _rows,
            new Dictionary<string, long>(_errors),
            new Dictionary<string, long>(_fallbacks),
            new Dictionary<string, long>(_violations),
            _outliers,
            _latency.ToData(),
            featureNames,
            features,
            _missing.ToArray(),
            classCounts,
            _confidence.ToData(),
            _values.ToData());
    }

    public long EstimatedBytes()
    {
        var bytes = 512 + _latency.EstimatedBytes + _confidence.EstimatedBytes + _values.EstimatedBytes + (8L * (_missing.Length + _classCounts.Length));
        foreach (var sketch in _features)
            bytes += sketch.EstimatedBytes;
        return bytes;
    }

    public void Clear()
    {
        _requests = 0;
        _rows = 0;
        _outliers = 0;
        _errors.Clear();
        _fallbacks.Clear();
        _violations.Clear();
        _latency.Clear();
        _confidence.Clear();
        _values.Clear();
        foreach (var sketch in _features)
            sketch.Clear();
        Array.Clear(_missing);
        Array.Clear(_classCounts);
    }
}

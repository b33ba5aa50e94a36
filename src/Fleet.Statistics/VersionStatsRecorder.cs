using System.Buffers;
using System.Numerics;

namespace Fleet.Statistics;

/// <summary>
/// Pre-aggregates one model version's statistics on one silo for the serving hot path. Thread-safe.
/// A record call computes its bucket keys (the logarithms) first, then takes one short lock, that of
/// the stripe of the processor it runs on (<see cref="StatsOptions.Stripes"/>), to add them; batches
/// re-take it every few rows (at most 256 values or <see cref="StatsOptions.RowsPerLock"/> rows), so a
/// large batch never stalls other requests. <see cref="TakeSnapshot"/> swaps each stripe's spare buffer
/// in under its lock and merges and serializes outside it. Nothing allocates per call once the buffers
/// have grown to the data (costs: docs/statistics.md).
/// </summary>
public sealed class VersionStatsRecorder
{
    private readonly RecorderStripe[] _stripes;
    private readonly Lock _snapshotGate = new();
    private readonly string[] _featureNames;
    private readonly int _rowsPerLock;
    private readonly LogMapping _outputMapping;
    private readonly LogMapping _featureMapping;
    private DateTimeOffset _intervalStart;

    /// <param name="featureNames">One name per input column; fixed for the recorder's life (may be empty).</param>
    /// <param name="start">Start of the first interval (the caller's TimeProvider now).</param>
    /// <param name="options">Accuracy and bounds; every silo must use the same accuracies.</param>
    public VersionStatsRecorder(IReadOnlyList<string> featureNames, DateTimeOffset start, StatsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        options ??= StatsOptions.Default;
        options.Validate();
        _featureNames = [.. featureNames];
        _rowsPerLock = options.RowsPerLock;
        _outputMapping = LogMapping.For(options.RelativeAccuracy);
        _featureMapping = LogMapping.For(options.FeatureRelativeAccuracy);
        _stripes = new RecorderStripe[options.Stripes];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new RecorderStripe(
                new RecorderBuffer(_featureNames.Length, options, _outputMapping, _featureMapping),
                new RecorderBuffer(_featureNames.Length, options, _outputMapping, _featureMapping));
        }
        _intervalStart = start;
        Options = options;
    }

    public IReadOnlyList<string> FeatureNames => _featureNames;

    public StatsOptions Options { get; }

    /// <summary>
    /// A served request: counts one request and <paramref name="rows"/> rows; latency goes to the latency
    /// sketch (a negative latency, from a clock step, counts as 0, so that sketch only needs one sign).
    /// </summary>
    public void RecordRequest(double latencyMs, int rows)
    {
        if (latencyMs < 0)
            latencyMs = 0;
        var key = _outputMapping.KeyOf(latencyMs);
        var stripe = CurrentStripe();
        lock (stripe.Gate)
            stripe.Active.AddRequest(latencyMs, key, rows);
    }

    /// <summary>A failed request by kind (see <see cref="ErrorKinds"/>); beyond 32 distinct kinds, counted as "other".</summary>
    public void RecordError(string kind)
    {
        var stripe = CurrentStripe();
        lock (stripe.Gate)
            stripe.Active.AddError(kind);
    }

    /// <summary>A request answered by a fallback, by reason; bounded like error kinds.</summary>
    public void RecordFallback(string reason)
    {
        var stripe = CurrentStripe();
        lock (stripe.Gate)
            stripe.Active.AddFallback(reason);
    }

    /// <summary>Input or output contract violations by rule name; bounded like error kinds.</summary>
    public void RecordViolation(string rule, long count)
    {
        var stripe = CurrentStripe();
        lock (stripe.Gate)
            stripe.Active.AddViolation(rule, count);
    }

    public void RecordOutliers(long rows)
    {
        var stripe = CurrentStripe();
        lock (stripe.Gate)
            stripe.Active.AddOutliers(rows);
    }

    /// <summary>
    /// Per-feature value sketches from a row-major batch; NaN and ±Infinity count as missing for that
    /// feature. <paramref name="columns"/> must equal the number of feature names.
    /// </summary>
    public void RecordFeatures(ReadOnlySpan<float> rowMajor, int columns) => RecordFeaturesCore(rowMajor, columns);

    /// <inheritdoc cref="RecordFeatures(ReadOnlySpan{float}, int)"/>
    public void RecordFeatures(ReadOnlySpan<double> rowMajor, int columns) => RecordFeaturesCore(rowMajor, columns);

    /// <summary>
    /// Per-row class scores (row-major, <paramref name="classes"/> per row): the argmax class is counted in
    /// the class histogram and the top score goes to the confidence sketch. Rows of only NaN are skipped.
    /// </summary>
    public void RecordClassOutputs(ReadOnlySpan<float> probabilitiesRowMajor, int classes) => RecordClassOutputsCore(probabilitiesRowMajor, classes);

    /// <inheritdoc cref="RecordClassOutputs(ReadOnlySpan{float}, int)"/>
    public void RecordClassOutputs(ReadOnlySpan<double> probabilitiesRowMajor, int classes) => RecordClassOutputsCore(probabilitiesRowMajor, classes);

    /// <summary>Regression (or any scalar) outputs into the value sketch; non-finite values are skipped.</summary>
    public void RecordValues(ReadOnlySpan<float> values) => RecordValuesCore(values);

    /// <inheritdoc cref="RecordValues(ReadOnlySpan{float})"/>
    public void RecordValues(ReadOnlySpan<double> values) => RecordValuesCore(values);

    /// <summary>
    /// Everything recorded since the previous snapshot (or construction), as the interval
    /// [previous now, <paramref name="now"/>]; recording continues into a fresh buffer.
    /// </summary>
    public StatsSnapshot TakeSnapshot(DateTimeOffset now)
    {
        lock (_snapshotGate)
        {
            foreach (var stripe in _stripes)
            {
                lock (stripe.Gate)
                    (stripe.Active, stripe.Spare) = (stripe.Spare, stripe.Active);
            }

            var total = _stripes[0].Spare;
            for (var i = 1; i < _stripes.Length; i++)
            {
                total.MergeFrom(_stripes[i].Spare);
                _stripes[i].Spare.Clear();
            }

            var snapshot = total.ToSnapshot(_intervalStart, now, _featureNames);
            total.Clear();
            _intervalStart = now;
            return snapshot;
        }
    }

    /// <summary>Approximate heap bytes of all buffers (their allocated capacity).</summary>
    public long EstimatedBytes()
    {
        lock (_snapshotGate)
        {
            long bytes = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe.Gate)
                    bytes += stripe.Active.EstimatedBytes() + stripe.Spare.EstimatedBytes();
            }

            return bytes;
        }
    }

    private RecorderStripe CurrentStripe() =>
        _stripes.Length == 1 ? _stripes[0] : _stripes[(uint)Thread.GetCurrentProcessorId() % (uint)_stripes.Length];

    // The logarithms are taken before the lock, into keys on the stack; under the lock only counters move.
    private const int KeysOnStack = 256;

    private void RecordFeaturesCore<T>(ReadOnlySpan<T> rowMajor, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (columns != _featureNames.Length)
            throw new ArgumentException($"got {columns} columns, the recorder has {_featureNames.Length} features", nameof(columns));
        if (columns == 0)
            return;
        if (rowMajor.Length % columns != 0)
            throw new ArgumentException($"length {rowMajor.Length} is not a whole number of {columns}-column rows", nameof(rowMajor));

        var chunk = Math.Clamp(KeysOnStack / columns, 1, _rowsPerLock) * columns;
        long[]? rented = null;
        var keys = chunk <= KeysOnStack ? stackalloc long[chunk] : (rented = ArrayPool<long>.Shared.Rent(chunk));
        try
        {
            for (var start = 0; start < rowMajor.Length; start += chunk)
            {
                var part = rowMajor.Slice(start, Math.Min(chunk, rowMajor.Length - start));
                var partKeys = keys[..part.Length];
                for (var i = 0; i < part.Length; i++)
                    partKeys[i] = _featureMapping.KeyOf(double.CreateTruncating(part[i]));
                var stripe = CurrentStripe();
                lock (stripe.Gate)
                    stripe.Active.AddFeatures(part, partKeys);
            }
        }
        finally
        {
            if (rented is not null)
                ArrayPool<long>.Shared.Return(rented);
        }
    }

    private void RecordClassOutputsCore<T>(ReadOnlySpan<T> rowMajor, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (rowMajor.Length % classes != 0)
            throw new ArgumentException($"length {rowMajor.Length} is not a whole number of {classes}-class rows", "probabilitiesRowMajor");

        var rows = rowMajor.Length / classes;
        var rowsPerChunk = Math.Min(Math.Min(64, _rowsPerLock), rows);
        Span<int> argmax = stackalloc int[rowsPerChunk];
        Span<double> confidence = stackalloc double[rowsPerChunk];
        Span<long> keys = stackalloc long[rowsPerChunk];
        for (var first = 0; first < rows; first += rowsPerChunk)
        {
            var count = Math.Min(rowsPerChunk, rows - first);
            for (var r = 0; r < count; r++)
            {
                var row = rowMajor.Slice((first + r) * classes, classes);
                var best = -1;
                var bestScore = T.NegativeInfinity;
                for (var c = 0; c < row.Length; c++)
                {
                    // NaN compares false, so NaN scores never win; the first of equal scores does.
                    if (row[c] > bestScore)
                    {
                        best = c;
                        bestScore = row[c];
                    }
                }

                argmax[r] = best;
                confidence[r] = double.CreateTruncating(bestScore);
                keys[r] = _outputMapping.KeyOf(confidence[r]);
            }

            var stripe = CurrentStripe();
            lock (stripe.Gate)
                stripe.Active.AddClassOutputs(classes, argmax[..count], confidence[..count], keys[..count]);
        }
    }

    private void RecordValuesCore<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<long> keys = stackalloc long[Math.Min(KeysOnStack, values.Length)];
        for (var start = 0; start < values.Length; start += KeysOnStack)
        {
            var part = values.Slice(start, Math.Min(KeysOnStack, values.Length - start));
            for (var i = 0; i < part.Length; i++)
                keys[i] = _outputMapping.KeyOf(double.CreateTruncating(part[i]));
            var stripe = CurrentStripe();
            lock (stripe.Gate)
                stripe.Active.AddValues(part, keys[..part.Length]);
        }
    }
}

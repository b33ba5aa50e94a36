using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Server.Hosting;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Monitoring;

/// <summary>
/// Once a second, drains the <see cref="PredictionTap"/>: keeps each prediction in the store (for late labels and
/// export) and sends each model's sampled rows (at most <see cref="ServedStats.FeatureRowsPerRequest"/> per
/// request) to its monitor grain. Failures are logged and counted as dropped (fleet_monitor_dropped), not retried:
/// drift windows are samples, and a stale retry would reorder the sequential detector's stream.
/// </summary>
internal sealed partial class MonitorFlushService(
    PredictionTap tap,
    IPredictionStore store,
    IGrainFactory grains,
    IOptions<MonitoringOptions> options,
    DropWatch drops,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<MonitorFlushService> logger) : FlushLoop(time)
{
    protected override Task FlushOnceAsync() => FlushAsync(CancellationToken.None);

    /// <summary>Drains the tap now (the loop calls it every second; tests call it to be deterministic). One drain at a time.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await DrainAsync(cancellationToken);
            await SignalDropsAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private readonly SemaphoreSlim _gate = new(1, 1);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var records = new List<PredictionRecord>();
        var rows = new Dictionary<string, Dictionary<string, VersionRowsBuilder>>(StringComparer.Ordinal);
        while (tap.TryRead(out var captured))
        {
            var (record, sampled) = Read(captured, now, options.Value.MaxRowsPerPrediction);
            records.Add(record);
            var versions = rows.TryGetValue(captured.Model, out var v) ? v : rows[captured.Model] = new(StringComparer.Ordinal);
            var builder = versions.TryGetValue(captured.Version, out var b) ? b : versions[captured.Version] = new VersionRowsBuilder(record.FeatureNames, options.Value.MaxMonitorRowsPerFlush);
            foreach (var row in sampled)
            {
                builder.Add(row);
            }
        }

        if (records.Count == 0)
        {
            return;
        }

        try
        {
            await store.AppendAsync(records, cancellationToken);
        }
        catch (Exception ex)
        {
            LogStoreFailed(records.Count, ex);
            foreach (var group in records.GroupBy(r => r.Model))
            {
                drops.Dropped(group.Key, DropWatch.Store, group.Count(), now);
            }
        }

        await Task.WhenAll(rows.Select(async kv =>
        {
            var batches = kv.Value.Select(v => new VersionRows(v.Key, [.. v.Value.Rows], v.Value.FeatureNames)).ToArray();
            try
            {
                await grains.GetGrain<IModelMonitorGrain>(kv.Key).Ingest(batches);
            }
            catch (Exception ex)
            {
                var count = batches.Sum(b => b.Rows.Length);
                LogIngestFailed(kv.Key, count, ex);
                drops.Dropped(kv.Key, DropWatch.Ingest, count, now);
            }
        }));
    }

    /// <summary>The monitoring path's own losses as signals to the coordinator (each drain, even one with nothing to drain).</summary>
    private async Task SignalDropsAsync()
    {
        foreach (var signal in drops.Due(Time.GetUtcNow(), silo.Name))
        {
            try
            {
                await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).Signal(signal);
                drops.Delivered(signal);
            }
            catch (Exception ex)
            {
                // Still due: the next drain sends it again.
                LogDropSignalFailed(signal.Kind.ToWire(), signal.Model, signal.Subject, ex);
            }
        }
    }

    /// <summary>The stored record (all rows up to the cap) and the sampled rows for the drift window.</summary>
    internal static (PredictionRecord Record, List<MonitorRow> Sampled) Read(CapturedPrediction captured, DateTimeOffset now, int maxRows)
    {
        var guards = captured.Guards;
        var names = guards.FeatureNames;
        var features = guards.Contract?.Input is { } input ? Find(captured.Inputs, input.Input) : null;
        if (features is not null && (features.Shape.Length != 2 || features.Shape[1] != names.Length))
        {
            features = null;
        }

        var rule = MonitorOutputs.Primary(guards.Contract);
        var output = rule is null ? null : Find(captured.Outputs, rule.Output);
        var rowCount = output is not null && output.Shape.Length > 0 ? (int)output.Shape[0]
            : features is not null ? (int)features.Shape[0] : 1;
        var kept = Math.Min(rowCount, maxRows);

        var columns = features is null ? 0 : names.Length;
        var featureValues = features is null ? [] : Rows(features, kept * columns);
        var predicted = new int[kept];
        var values = new double[kept];
        var confidence = new double[kept];
        var classes = rule?.Kind == OutputKind.Probabilities && output is not null ? MonitorOutputs.ClassCount(rule, output) : 0;
        var probabilities = classes > 0 ? new double[kept * classes] : null;
        for (var r = 0; r < kept; r++)
        {
            if (rule is not null && output is not null)
            {
                var reading = MonitorOutputs.Read(rule, output, r, probabilities is null ? default : probabilities.AsSpan(r * classes, classes));
                (predicted[r], values[r], confidence[r]) = (reading.Predicted, reading.Score, reading.Confidence);
            }
            else
            {
                (predicted[r], values[r], confidence[r]) = (-1, double.NaN, double.NaN);
            }
        }

        var record = new PredictionRecord(captured.Id, captured.Model, captured.Version, now, features is null ? [] : names,
            featureValues, predicted, values, probabilities, classes);

        // Evenly spaced rows, as for the feature sketches: a big batch weighs no more than a small one.
        var take = Math.Min(kept, ServedStats.FeatureRowsPerRequest);
        var sampled = new List<MonitorRow>(take);
        for (var i = 0; i < take; i++)
        {
            var r = i * kept / take;
            sampled.Add(new MonitorRow(featureValues.AsSpan(r * columns, columns).ToArray(), values[r], predicted[r], confidence[r]));
        }

        return (record, sampled);
    }

    /// <summary>The first <paramref name="count"/> values of a float or double tensor as doubles (row-major).</summary>
    private static double[] Rows(Tensor tensor, int count)
    {
        var result = new double[count];
        switch (tensor.Data)
        {
            case float[] f:
                for (var i = 0; i < count; i++)
                {
                    result[i] = f[i];
                }

                break;
            case double[] d:
                Array.Copy(d, result, count);
                break;
            default:
                Array.Fill(result, double.NaN);
                break;
        }

        return result;
    }

    private static Tensor? Find(Tensor[] tensors, string name) => Array.Find(tensors, t => t.Name == name);

    /// <summary>
    /// A version's rows for one flush, at most <c>limit</c> of them: past the limit a uniform reservoir sample, so
    /// heavy traffic costs the monitor grain a bounded message per second and the window stays representative.
    /// </summary>
    private sealed class VersionRowsBuilder(string[] featureNames, int limit)
    {
        private long _seen;

        public string[] FeatureNames { get; } = featureNames;

        public List<MonitorRow> Rows { get; } = [];

        public void Add(MonitorRow row)
        {
            _seen++;
            if (Rows.Count < limit)
            {
                Rows.Add(row);
            }
            else if (Random.Shared.NextInt64(_seen) is var slot && slot < limit)
            {
                Rows[(int)slot] = row;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Keeping {Count} predictions for labels failed; they cannot be joined or exported (counted in fleet_monitor_dropped)")]
    private partial void LogStoreFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} monitored rows of model {Model} to its monitor grain failed (counted in fleet_monitor_dropped)")]
    private partial void LogIngestFailed(string model, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signal {Kind} for model {Model} ({Component}) could not be given to the coordinator; the next drain tries again; the drops are counted in fleet_monitor_dropped_total")]
    private partial void LogDropSignalFailed(string kind, string model, string? component, Exception exception);
}

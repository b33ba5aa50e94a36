using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Fleet.Server.Hosting;
using Fleet.Statistics;

namespace Fleet.Server.Statistics;

/// <summary>
/// Every second, takes a snapshot of each recorder and sends it to the version's stats grain. A failed
/// flush (a silo between deaths and membership noticing) is kept and merged into the next one, so the
/// counts are delayed, not lost. Never touches the request path beyond the recorder's buffer swap.
/// </summary>
internal sealed partial class StatsFlushService(
    StatsCollector collector,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<StatsFlushService> logger) : FlushLoop(time)
{
    private readonly Dictionary<(string Model, string Version), StatsSnapshot> _pending = [];
    private readonly Dictionary<(string Model, string Version), RequestSample[]> _pendingSamples = [];

    protected override Task FlushOnceAsync() => FlushAsync();

    public async Task FlushAsync()
    {
        var now = Time.GetUtcNow();
        foreach (var (key, recorder) in collector.Recorders)
        {
            Stage(key, recorder.TakeSnapshot(now));
        }

        foreach (var (model, version, recorder) in collector.DrainRetired())
        {
            Stage((model, version), recorder.TakeSnapshot(now));
        }

        var sends = _pending.Select(async kv =>
        {
            try
            {
                await grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(kv.Key.Model, kv.Key.Version)).Flush(kv.Value);
                return (kv.Key, Sent: true);
            }
            catch (Exception ex)
            {
                LogFlushFailed(kv.Key.Model, kv.Key.Version, ex);
                return (kv.Key, Sent: false);
            }
        }).ToArray();
        foreach (var (key, sent) in await Task.WhenAll(sends))
        {
            if (sent)
            {
                _pending.Remove(key);
            }
        }

        await FlushSamplesAsync();
    }

    /// <summary>The request ids that counted against each version; kept (the newest per kind) for the next flush when a send fails.</summary>
    private async Task FlushSamplesAsync()
    {
        foreach (var (key, samples) in collector.DrainSamples())
        {
            _pendingSamples[key] = _pendingSamples.TryGetValue(key, out var earlier) ? RequestSamples.Newest(earlier.Concat(samples)) : samples;
        }

        foreach (var (key, samples) in _pendingSamples.ToArray())
        {
            try
            {
                await grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(key.Model, key.Version)).AddSamples(samples);
                _pendingSamples.Remove(key);
            }
            catch (Exception ex)
            {
                LogSamplesFailed(key.Model, key.Version, ex);
            }
        }
    }

    private void Stage((string Model, string Version) key, StatsSnapshot snapshot)
    {
        if (snapshot.IsEmpty)
        {
            return;
        }

        _pending[key] = _pending.TryGetValue(key, out var earlier) ? StatsSnapshot.Merge(earlier, snapshot) : snapshot;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the sampled request ids of {Model} version {Version} failed; they are kept for the next flush")]
    private partial void LogSamplesFailed(string model, string version, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing statistics of {Model} version {Version} failed; they are kept for the next flush")]
    private partial void LogFlushFailed(string model, string version, Exception exception);
}

using System.Collections.Concurrent;
using Fleet.Abstractions.Statistics;
using Fleet.Server.Serving;
using Fleet.Statistics;

namespace Fleet.Server.Statistics;

/// <summary>
/// This silo's in-process statistics: one recorder per (model, version, feature layout). Recording is a
/// local, lock-light call on the request path; <see cref="StatsFlushService"/> drains the recorders to the
/// version grains about once a second.
/// </summary>
internal sealed class StatsCollector(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Model, string Version), VersionStatsRecorder> _recorders = new();

    public VersionStatsRecorder For(ServedModel served)
    {
        // Hot path: the recorder cached on the version, valid while its guards (feature layout) are unchanged.
        var guards = served.Guards;
        if (served.Recorder is { } cached && ReferenceEquals(served.RecorderGuards, guards))
        {
            return cached;
        }

        var names = guards.FeatureNames;
        var recorder = _recorders.AddOrUpdate((served.Model, served.Version),
            _ => new VersionStatsRecorder(names, time.GetUtcNow()),
            (_, existing) => SameFeatures(existing, names) ? existing : Replace(served, existing, names));
        served.Recorder = recorder;
        served.RecorderGuards = guards;
        return recorder;
    }

    /// <summary>The recorders with their keys, for the flush loop.</summary>
    public IEnumerable<KeyValuePair<(string Model, string Version), VersionStatsRecorder>> Recorders => _recorders;

    /// <summary>A contract edit changed the feature layout: the old recorder's data is handed to the next flush.</summary>
    private VersionStatsRecorder Replace(ServedModel served, VersionStatsRecorder existing, string[] names)
    {
        _retired.Enqueue((served.Model, served.Version, existing));
        return new VersionStatsRecorder(names, time.GetUtcNow());
    }

    private readonly ConcurrentQueue<(string Model, string Version, VersionStatsRecorder Recorder)> _retired = new();

    /// <summary>Recorders replaced since the last flush; each is drained once more and dropped.</summary>
    public IEnumerable<(string Model, string Version, VersionStatsRecorder Recorder)> DrainRetired()
    {
        while (_retired.TryDequeue(out var item))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Samples held between flushes at most. Beyond it a failing version's further ids are not kept: only the newest
    /// <see cref="RequestSamples.PerKind"/> per kind are sent anyway, and every failure is counted in the statistics.
    /// </summary>
    public const int MaxPendingSamples = 1000;

    private readonly ConcurrentQueue<(string Model, string Version, RequestSample Sample)> _samples = new();
    private int _pendingSamples;

    /// <summary>A request that counted against <paramref name="served"/> (failure paths only: never on a clean answer).</summary>
    public void AddSample(ServedModel served, SampleKind kind, string requestId)
    {
        if (Interlocked.Increment(ref _pendingSamples) > MaxPendingSamples)
        {
            Interlocked.Decrement(ref _pendingSamples);
            return;
        }

        _samples.Enqueue((served.Model, served.Version, new RequestSample(kind, requestId, time.GetUtcNow())));
    }

    /// <summary>The samples since the last drain, by version (the newest per kind).</summary>
    public Dictionary<(string Model, string Version), RequestSample[]> DrainSamples()
    {
        var drained = new List<(string Model, string Version, RequestSample Sample)>();
        while (_samples.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _pendingSamples);
            drained.Add(item);
        }

        return drained.GroupBy(d => (d.Model, d.Version)).ToDictionary(g => g.Key, g => RequestSamples.Newest(g.Select(d => d.Sample)));
    }

    private static bool SameFeatures(VersionStatsRecorder recorder, string[] names) =>
        recorder.FeatureNames.Count == names.Length && recorder.FeatureNames.SequenceEqual(names);
}

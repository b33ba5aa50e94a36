using Fleet.Abstractions.Models;
using Fleet.Server.Serving;

namespace Fleet.Server.Health;

/// <summary>
/// The golden sets this host probes with, one per loaded artifact: fetched from the registry and cached, or, for a
/// version without one, its first live answer (liveness only) until enough live requests have succeeded to record
/// that answer as the version's golden set.
/// </summary>
internal sealed partial class GoldenProbes(IGrainFactory grains, HostIdentity identity, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<(string Model, string Version, string Sha256), GoldenProbe> _goldens = [];

    /// <summary>The version's golden set from the registry (cached per artifact once it has one); <see cref="GoldenProbe.None"/> without one.</summary>
    public async Task<GoldenProbe> ForAsync(ServedModel served)
    {
        var key = (served.Model, served.Version, served.Sha256);
        if (_goldens.TryGetValue(key, out var cached))
        {
            return cached;
        }

        GoldenSet? set;
        try
        {
            set = await grains.GetGrain<IModelGrain>(served.Model).GetGolden(served.Version);
        }
        catch (Exception ex)
        {
            // Not cached: the next cycle asks again.
            LogGoldenUnavailable(served.Model, served.Version, ex);
            return GoldenProbe.None;
        }

        if (set is null)
        {
            // Asked again every cycle: another host may record one from its live requests meanwhile.
            served.NeedsGolden = true;
            return GoldenProbe.None;
        }

        served.NeedsGolden = false;
        var probe = GoldenProbe.From(set);
        _goldens[key] = probe;
        return probe;
    }

    /// <summary>
    /// The probe of a version without a golden set: the first live request it answered here (liveness only), or
    /// nothing before one. <paramref name="state"/> says which, for reports.
    /// </summary>
    public static GoldenProbe LiveCandidate(ServedModel served, ProbeOptions o, out string state)
    {
        var (candidate, answers) = served.GoldenCandidate;
        state = $"none yet: recorded from live traffic once {o.LiveGoldenRequests} live requests have succeeded on a host ({answers} so far here); " +
            (candidate is null ? "until then the probe checks the artifact and provider only" : "until then liveness is checked on the first one");
        return candidate is null
            ? GoldenProbe.None
            : new GoldenProbe(null, candidate.Select(GoldenTensors.ToTensor).ToArray(), GoldenRecorder.SupportedOutputs(served.Session));
    }

    /// <summary>
    /// Once <see cref="ProbeOptions.LiveGoldenRequests"/> live requests have succeeded, the candidate becomes the golden
    /// set if its two runs agree and are finite (else the next live answer is the candidate). The registry keeps the first
    /// host's set; every host then probes with it.
    /// </summary>
    public async Task RecordLiveAsync(ServedModel served, GoldenProbe candidate, ProbeRunResult run, ProbeOptions o)
    {
        var (_, answers) = served.GoldenCandidate;
        if (answers < o.LiveGoldenRequests)
        {
            return;
        }

        var expected = run.First!.Select(GoldenTensors.From).ToArray();
        if (!GoldenRecorder.AllFinite(run.First!)
            || GoldenComparison.Compare(expected, run.Second!, o.GoldenTolerance, o.GoldenRelativeTolerance) is not null)
        {
            LogLiveGoldenRejected(served.Model, served.Version);
            served.DropGoldenCandidate();
            return;
        }

        var set = new GoldenSet(
            $"live traffic: the first request answered on host {identity.Name}, kept after {answers} live requests succeeded",
            o.GoldenTolerance, o.GoldenRelativeTolerance, candidate.Inputs!.Select(GoldenTensors.From).ToArray(), expected, time.GetUtcNow());
        try
        {
            var stored = await grains.GetGrain<IModelGrain>(served.Model).RecordGolden(served.Version, set, $"host:{identity.Name}");
            _goldens[(served.Model, served.Version, served.Sha256)] = GoldenProbe.From(stored);
            served.NeedsGolden = false;
            LogLiveGoldenRecorded(served.Model, served.Version, stored.Source);
        }
        catch (Exception ex)
        {
            // Kept as the candidate: the next cycle records it again.
            LogLiveGoldenFailed(served.Model, served.Version, ex);
        }
    }

    /// <summary>Drops the sets of artifacts no longer loaded here.</summary>
    public void Retain(IReadOnlySet<(string Model, string Version, string Sha256)> loaded)
    {
        foreach (var key in _goldens.Keys.Where(k => !loaded.Contains(k)).ToArray())
            _goldens.Remove(key);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Golden set of {Model} version {Version} unavailable; this cycle probes the artifact and provider only")]
    private partial void LogGoldenUnavailable(string model, string version, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Golden set of {Model} version {Version} recorded from live traffic: {Source}")]
    private partial void LogLiveGoldenRecorded(string model, string version, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live golden candidate of {Model} version {Version} gave a non-finite or different answer when run again; the next live answer is the candidate")]
    private partial void LogLiveGoldenRejected(string model, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the live golden set of {Model} version {Version}; the next cycle tries again")]
    private partial void LogLiveGoldenFailed(string model, string version, Exception exception);
}

using System.Collections.Concurrent;
using System.Collections.Frozen;
using Fleet.Inference;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Telemetry;

namespace Fleet.Server.Serving;

/// <summary>
/// This silo's routing table and loaded sessions. The hot path reads an immutable snapshot (no lock, no
/// grain call); routing changes arrive as pushes and periodic resyncs, load the new version beside the
/// old one (checksum verified, warmed up), then swap it in. The old one is released and disposed when
/// its last in-flight request finishes.
/// </summary>
internal sealed partial class ModelHost : IRouteObserver, IDisposable
{
    private const int MaxPinnedVersions = 8;

    private readonly ArtifactStore _store;
    private readonly OnnxSessionFactory _sessions;
    private readonly IGrainFactory _grains;
    private readonly HostIdentity _host;
    private readonly TimeProvider _time;
    private readonly FleetMetrics _metrics;
    private readonly ILogger<ModelHost> _logger;
    private readonly Lock _swapLock = new();
    private readonly Lock _reportLock = new();
    private Task _reports = Task.CompletedTask;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _modelGates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, string Version), Lazy<Task<ServedModel>>> _pinned = new();
    private volatile FrozenDictionary<string, ModelSlot> _slots = FrozenDictionary<string, ModelSlot>.Empty;
    private volatile bool _synced;

    public ModelHost(ArtifactStore store, OnnxSessionFactory sessions, IGrainFactory grains, HostIdentity host,
        TimeProvider time, FleetMetrics metrics, ILogger<ModelHost> logger)
    {
        _store = store;
        _sessions = sessions;
        _grains = grains;
        _host = host;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>True once samples are seeded and the first full route sync has been applied.</summary>
    public bool IsSynced => _synced;

    /// <summary>Raised after a version was loaded or swapped in (the prober probes it at once, so readiness does not wait a whole interval).</summary>
    public event Action? Changed;

    public IReadOnlyCollection<ModelSlot> Slots => _slots.Values;

    public IEnumerable<VersionLoadStatus> PinnedStatuses(string model) =>
        _pinned.Where(kv => kv.Key.Model == model && kv.Value.IsValueCreated && kv.Value.Value.IsCompletedSuccessfully)
            .Select(kv => kv.Value.Value.Result)
            .Select(m => new VersionLoadStatus(m.Version, LoadState.Loaded, m.Session.Provider.Name, null, m.WarmUpError, _time.GetUtcNow()));

    public void MarkSynced() => _synced = true;

    /// <summary>
    /// A reference to every version loaded here, with its role (<c>live</c>, <c>fallback</c>, <c>pinned</c>), for the
    /// prober. The caller releases each one.
    /// </summary>
    public IReadOnlyList<(ServedModel Served, string Role)> AcquireLoaded() => Loaded().Where(l => l.Served.TryAcquire()).ToArray();

    /// <summary>
    /// Every version loaded here with its role, not acquired: for reports that read <see cref="ServedModel.Health"/> and
    /// never touch the session (which may be disposed meanwhile).
    /// </summary>
    public IReadOnlyList<(ServedModel Served, string Role)> Loaded()
    {
        var loaded = new List<(ServedModel, string)>();
        foreach (var slot in _slots.Values)
        {
            if (slot.Live is { } live)
            {
                loaded.Add((live, "live"));
            }

            if (slot.Fallback is { } fallback)
            {
                loaded.Add((fallback, "fallback"));
            }
        }

        foreach (var lazy in _pinned.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result is var pinned
                && loaded.All(l => !ReferenceEquals(l.Item1, pinned)))
            {
                loaded.Add((pinned, "pinned"));
            }
        }

        return loaded;
    }

    /// <summary>Slots whose live version failed to load here (this host cannot serve it).</summary>
    public IReadOnlyList<ModelSlot> FailedLoads() => _slots.Values
        .Where(s => s.Route.LiveVersion is not null && s.Status is { State: LoadState.Failed })
        .OrderBy(s => s.Route.Model, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// Replaces this silo's session of <paramref name="model"/> <paramref name="version"/> (live or last-known-good)
    /// with a fresh load from the artifact store, checksum verified (a coordinator <c>reload</c>). In-flight requests
    /// finish on the old session. Throws <see cref="InferenceException"/> when the artifact does not verify.
    /// </summary>
    public Task<string> ReloadAsync(string model, string version, CancellationToken cancellationToken) =>
        ReplaceAsync(model, version, async old =>
        {
            var fresh = await LoadAsync(model, version, old.Sha256, old.Task, cancellationToken);
            return (fresh, $"reloaded {model} version {version} from its verified artifact {old.Sha256[..12]}...");
        }, cancellationToken);

    /// <summary>
    /// Fault injection (tests, drills): serves the graph at <paramref name="path"/> as <paramref name="model"/>
    /// <paramref name="version"/> on this silo, without a checksum check, as if its weights had been swapped.
    /// </summary>
    public Task<string> InjectWeightsAsync(string model, string version, string path, CancellationToken cancellationToken) =>
        ReplaceAsync(model, version, async old =>
        {
            var faulty = await Task.Run(() =>
            {
                var session = _sessions.Open(path);
                return new ServedModel(model, version, old.Sha256, old.Task, session, session.WarmUp());
            }, cancellationToken);
            return (faulty, $"{model} version {version} now runs the weights of {Path.GetFileName(path)} on this host (checksum not verified)");
        }, cancellationToken);

    private async Task<string> ReplaceAsync(string model, string version, Func<ServedModel, Task<(ServedModel Replacement, string Detail)>> make,
        CancellationToken cancellationToken)
    {
        var gate = _modelGates.GetOrAdd(model, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_slots.TryGetValue(model, out var slot)
                || (slot.Live?.Version == version ? slot.Live : slot.Fallback?.Version == version ? slot.Fallback : null) is not { } old)
            {
                throw new ModelUnavailableException($"model '{model}' version '{version}' is not loaded on this host as its live or last-known-good version");
            }

            var (replacement, detail) = await make(old);
            var isLive = ReferenceEquals(old, slot.Live);
            replacement.UpdateContract(isLive ? slot.Route.Contract : slot.Route.FallbackContract);
            SetSlot(isLive ? slot with { Live = replacement } : slot with { Fallback = replacement });
            old.Release();
            LogReplaced(model, version, detail);
            return detail;
        }
        finally
        {
            gate.Release();
        }
    }

    public bool TryGetSlot(string model, out ModelSlot slot) => _slots.TryGetValue(model, out slot!);

    /// <summary>Whether <paramref name="served"/> is the live version of its model on this silo.</summary>
    public bool IsLive(ServedModel served) => _slots.TryGetValue(served.Model, out var slot) && ReferenceEquals(slot.Live, served);

    /// <summary>
    /// The fallback chain's first step, when <paramref name="broken"/>'s answer broke: the last-known-good, or, when
    /// <paramref name="broken"/> was swapped out while the request ran (a rollback or promotion just applied, which can
    /// leave no last-known-good), the version live now (<paramref name="nowLive"/> true). Never <paramref name="broken"/> itself.
    /// </summary>
    public bool TryAcquireFallbackFor(ServedModel broken, out ModelLease lease, out bool nowLive)
    {
        foreach (var fallback in (ReadOnlySpan<bool>)[true, false])
        {
            if (TryAcquire(broken.Model, fallback, out lease))
            {
                if (lease.Model != broken)
                {
                    nowLive = !fallback;
                    return true;
                }

                lease.Dispose();
            }
        }

        lease = default;
        nowLive = false;
        return false;
    }

    /// <summary>Hot path: a reference to the live version, if loaded here. No await, no grain call.</summary>
    public bool TryAcquireLive(string model, out ModelLease lease) => TryAcquire(model, fallback: false, out lease);

    private bool TryAcquire(string model, bool fallback, out ModelLease lease)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            if (!_slots.TryGetValue(model, out var slot) || (fallback ? slot.Fallback : slot.Live) is not { } served)
            {
                break;
            }

            // Fails only when this version was swapped out and disposed between the read and now: re-read.
            if (served.TryAcquire())
            {
                lease = new ModelLease(served);
                return true;
            }
        }

        lease = default;
        return false;
    }

    /// <summary>
    /// A specific version: the live one from the table, any other loaded on demand from the registry
    /// (a grain call, off the live path) and kept among a few pinned sessions.
    /// </summary>
    public async Task<ModelLease> AcquireVersionAsync(string model, string version, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(model, out var slot) && slot.Live?.Version == version && TryAcquireLive(model, out var live))
        {
            if (live.Model.Version == version)
            {
                return live;
            }

            live.Dispose();
        }

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var key = (model, version);
            // The shared load must not depend on the first caller's connection; each caller waits with its own token.
            var lazy = _pinned.GetOrAdd(key, k => new Lazy<Task<ServedModel>>(() => LoadPinnedAsync(k.Model, k.Version, CancellationToken.None)));
            ServedModel served;
            try
            {
                served = await lazy.Value.WaitAsync(cancellationToken);
            }
            catch
            {
                _pinned.TryRemove(new KeyValuePair<(string, string), Lazy<Task<ServedModel>>>(key, lazy));
                throw;
            }

            // Evicted (quarantine, trim) while loading: do not serve it; the next attempt reloads from the registry.
            if (_pinned.TryGetValue(key, out var current) && ReferenceEquals(current, lazy) && served.TryAcquire())
            {
                TrimPinned();
                if (served.Health.LastProbe is null)
                {
                    Changed?.Invoke();
                }

                return new ModelLease(served);
            }
        }

        throw new ModelUnavailableException($"version '{version}' of model '{model}' was unloaded while the request waited; retry");
    }

    Task IRouteObserver.OnRouteChanged(ModelRoute route)
    {
        _ = ApplyLoggedAsync(route);
        return Task.CompletedTask;
    }

    private async Task ApplyLoggedAsync(ModelRoute route)
    {
        try
        {
            await ApplyAsync(route, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogApplyFailed(route.Model, route.Revision, ex);
        }
    }

    /// <summary>
    /// Brings this silo's slot for <paramref name="route"/>'s model in line with it: the live version and
    /// the last-known-good fallback, each reused when already loaded (after a promotion the previous live
    /// session simply becomes the fallback), loaded otherwise. Serialised per model.
    /// </summary>
    public async Task ApplyAsync(ModelRoute route, CancellationToken cancellationToken)
    {
        var gate = _modelGates.GetOrAdd(route.Model, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            _slots.TryGetValue(route.Model, out var slot);
            var retryFailed = slot is not null && slot.Route.Revision == route.Revision
                && (slot.Status?.State == LoadState.Failed || (route.FallbackVersion is not null && slot.Fallback is null));
            if (slot is not null && slot.Route.Revision >= route.Revision && !retryFailed)
            {
                return;
            }

            EvictPinned(route.Model);
            if (!route.IsAssignedTo(_host.Name))
            {
                // Placed on other hosts: keep the route (config, replicas to forward to) and let go of the sessions;
                // in-flight requests finish on them.
                SetSlot(new ModelSlot(route, null, null, null));
                slot?.Live?.Release();
                if (slot?.Fallback is { } placedAway && placedAway != slot.Live)
                {
                    placedAway.Release();
                }

                if (slot?.Live is not null)
                {
                    LogPlacedAway(route.Model, ReplicaEndpoint.Describe(route.Replicas));
                }

                return;
            }

            var owned = new List<ServedModel>(2);
            if (slot?.Live is { } oldLive)
            {
                owned.Add(oldLive);
            }

            if (slot?.Fallback is { } oldFallback && !owned.Contains(oldFallback))
            {
                owned.Add(oldFallback);
            }

            ServedModel? live = null;
            VersionLoadStatus? status = null;
            if (route.LiveVersion is not null && route.Sha256 is not null)
            {
                live = Reuse(owned, route.LiveVersion, route.Sha256);
                if (live is null)
                {
                    // Keep serving what is there while the new version loads; traffic moves once it is warm.
                    SetSlot(new ModelSlot(route with { Revision = slot?.Route.Revision ?? 0 }, slot?.Live, slot?.Fallback,
                        Status(route.LiveVersion, LoadState.Loading, null, null, null)));
                    Report(route.Model, route.LiveVersion, LoadState.Loading, null, null);
                    try
                    {
                        live = await LoadAsync(route.Model, route.LiveVersion, route.Sha256, route.Task, cancellationToken);
                    }
                    catch (InferenceException ex)
                    {
                        // Keep answering with the previous live version only if it is still servable: it is the new
                        // route's last-known-good. A quarantined or retired one stops serving (503 with the reason).
                        var keep = slot?.Live is { } previous && previous.Version == route.FallbackVersion && previous.Sha256 == route.FallbackSha256 ? previous : null;
                        if (slot?.Live is { } dropped && dropped != keep)
                        {
                            dropped.Release();
                        }

                        if (keep is not null && slot?.Fallback is { } staleFallback)
                        {
                            staleFallback.Release();
                        }

                        SetSlot(new ModelSlot(route, keep, keep is null ? slot?.Fallback : null, Status(route.LiveVersion, LoadState.Failed, null, ex.Message, null)));
                        LogLoadFailed(route.Model, route.LiveVersion, ex.Message);
                        Report(route.Model, route.LiveVersion, LoadState.Failed, null, ex.Message);
                        return;
                    }

                    LogLoaded(route.Model, live.Version, live.Session.Provider.Name, slot?.Live?.Version);
                    Report(route.Model, live.Version, LoadState.Loaded, live.Session.Provider.Name, live.WarmUpError);
                }

                live.UpdateContract(route.Contract);
                status = Status(live.Version, LoadState.Loaded, live.Session.Provider.Name, null, live.WarmUpError);
            }

            ServedModel? fallback = null;
            if (route.FallbackVersion is not null && route.FallbackSha256 is not null)
            {
                fallback = live is not null && live.Version == route.FallbackVersion && live.Sha256 == route.FallbackSha256
                    ? live
                    : Reuse(owned, route.FallbackVersion, route.FallbackSha256);
                if (fallback is null)
                {
                    try
                    {
                        fallback = await LoadAsync(route.Model, route.FallbackVersion, route.FallbackSha256, route.Task, cancellationToken);
                    }
                    catch (InferenceException ex)
                    {
                        // Serving goes on without a fallback; the failure shows in logs and metrics.
                        LogLoadFailed(route.Model, route.FallbackVersion, "fallback: " + ex.Message);
                    }
                }

                fallback?.UpdateContract(route.FallbackContract);
            }

            SetSlot(new ModelSlot(route, live, fallback == live ? null : fallback, status));
            foreach (var model in owned)
            {
                if (model != live && model != fallback)
                {
                    model.Release();
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Takes <paramref name="version"/> out of <paramref name="owned"/> when it is the same artifact.</summary>
    private static ServedModel? Reuse(List<ServedModel> owned, string version, string sha256)
    {
        var match = owned.FirstOrDefault(m => m.Version == version && m.Sha256 == sha256);
        if (match is not null)
        {
            owned.Remove(match);
        }

        return match;
    }

    private async Task<ServedModel> LoadAsync(string model, string version, string sha256, ModelTask task, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        ArtifactCheck check;
        try
        {
            check = await _store.VerifyAsync(sha256, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _metrics.RecordLoad(model, version, "failed");
            throw new InferenceException($"artifact {sha256} could not be read: {ex.Message}", ex);
        }

        if (!check.Ok)
        {
            _metrics.RecordLoad(model, version, "checksum_mismatch");
            throw new InferenceException(check.Error!);
        }

        ServedModel served;
        try
        {
            served = await Task.Run(() =>
            {
                var session = _sessions.Open(check.Path);
                try
                {
                    var warmUpError = session.WarmUp();
                    return new ServedModel(model, version, sha256, task, session, warmUpError);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }, cancellationToken);
        }
        catch (InferenceException)
        {
            _metrics.RecordLoad(model, version, "failed");
            throw;
        }

        _metrics.RecordLoad(model, version, "loaded");
        LogLoadTime(model, version, _time.GetElapsedTime(started).TotalMilliseconds);
        return served;
    }

    private async Task<ServedModel> LoadPinnedAsync(string model, string version, CancellationToken cancellationToken)
    {
        var info = await _grains.GetGrain<IModelGrain>(model).GetVersion(version);
        if (info.State == VersionState.Quarantined)
        {
            throw new ModelUnavailableException($"version '{version}' of model '{model}' is quarantined and is not served");
        }

        var task = _slots.TryGetValue(model, out var slot) ? slot.Route.Task : ModelTask.Other;
        var contract = await _grains.GetGrain<IModelGrain>(model).GetContract(version);
        try
        {
            var loaded = await LoadAsync(model, version, info.Sha256, task, cancellationToken);
            loaded.UpdateContract(contract);
            return loaded;
        }
        catch (InferenceException ex)
        {
            throw new ModelUnavailableException($"version '{version}' of model '{model}' cannot be loaded on this host: {ex.Message}");
        }
    }

    /// <summary>Drops on-demand sessions of a model whose registry entry changed (a version may have been quarantined); the next request reloads from the registry.</summary>
    private void EvictPinned(string model)
    {
        foreach (var key in _pinned.Keys.Where(k => k.Model == model).ToArray())
        {
            if (_pinned.TryRemove(key, out var lazy))
            {
                ReleaseWhenLoaded(lazy);
            }
        }
    }

    /// <summary>Releases the table's reference of an evicted pinned version, now or when its load completes.</summary>
    private static void ReleaseWhenLoaded(Lazy<Task<ServedModel>> lazy)
    {
        if (lazy.IsValueCreated)
        {
            _ = lazy.Value.ContinueWith(t => t.Result.Release(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void TrimPinned()
    {
        while (_pinned.Count > MaxPinnedVersions)
        {
            var victim = _pinned.Keys.FirstOrDefault();
            if (_pinned.TryRemove(victim, out var lazy))
            {
                ReleaseWhenLoaded(lazy);
            }
        }
    }

    private VersionLoadStatus Status(string version, LoadState state, string? provider, string? error, string? warmUpError) =>
        new(version, state, provider, error, warmUpError, _time.GetUtcNow());

    private void SetSlot(ModelSlot slot)
    {
        lock (_swapLock)
        {
            var next = new Dictionary<string, ModelSlot>(_slots, StringComparer.Ordinal) { [slot.Route.Model] = slot };
            _slots = next.ToFrozenDictionary(StringComparer.Ordinal);
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Tells the registry how a load went, without waiting: the model grain may sit on a silo that is frozen or just
    /// died, and a load (or a failover onto this host) must not wait for it.
    /// </summary>
    private void Report(string model, string version, LoadState state, string? provider, string? error)
    {
        lock (_reportLock)
        {
            // Chained, so "loading" never lands after "loaded".
            _reports = _reports.ContinueWith(_ => ReportAsync(model, version, state, provider, error), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task ReportAsync(string model, string version, LoadState state, string? provider, string? error)
    {
        try
        {
            await _grains.GetGrain<IModelGrain>(model).ReportLoad(new HostLoadReport(_host.Name, version, state, provider, error, _time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // The local status (GET /api/v1/status, /v2/health/ready) still shows the outcome; the registry copy is a convenience.
            LogReportFailed(model, version, ex);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Live?.Release();
            slot.Fallback?.Release();
        }

        foreach (var lazy in _pinned.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} is placed on {Hosts}: unloaded here; requests are forwarded")]
    private partial void LogPlacedAway(string model, string hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} replaced on this host: {Detail}")]
    private partial void LogReplaced(string model, string version, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} is serving on {Provider} (replaced {Previous})")]
    private partial void LogLoaded(string model, string version, string provider, string? previous);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Model} version {Version} in {Milliseconds:F1} ms")]
    private partial void LogLoadTime(string model, string version, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Error}")]
    private partial void LogLoadFailed(string model, string version, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying route for {Model} (revision {Revision}) failed")]
    private partial void LogApplyFailed(string model, long revision, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the load state of {Model} version {Version} to the registry")]
    private partial void LogReportFailed(string model, string version, Exception exception);
}

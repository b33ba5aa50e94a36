using System.Collections.Concurrent;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Inference;

namespace Fleet.Server.Serving;

/// <summary>
/// This silo's model host: it receives route pushes and resyncs and carries out each one's <see cref="RoutePlan"/>
/// (a new version loaded beside the old one, checksum verified and warmed up, then swapped into the
/// <see cref="RouteTable"/> the hot path reads). A replaced session is released and disposed when its last
/// in-flight request finishes. Collaborators: <see cref="VersionLoader"/> (verify and open),
/// <see cref="PinnedVersions"/> (versions named by a request), <see cref="LoadReporter"/> (tell the registry).
/// </summary>
internal sealed partial class ModelHost : IRouteObserver, IDisposable
{
    private readonly RouteTable _table = new();
    private readonly VersionLoader _loader;
    private readonly PinnedVersions _pinned;
    private readonly LoadReporter _reporter;
    private readonly IGrainFactory _grains;
    private readonly HostIdentity _host;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelHost> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _modelGates = new(StringComparer.Ordinal);
    private volatile bool _synced;
    private volatile string? _syncFailure;

    public ModelHost(VersionLoader loader, LoadReporter reporter, IGrainFactory grains, HostIdentity host, TimeProvider time, ILogger<ModelHost> logger)
    {
        _loader = loader;
        _reporter = reporter;
        _grains = grains;
        _host = host;
        _time = time;
        _logger = logger;
        _pinned = new PinnedVersions((model, version) => LoadPinnedAsync(model, version, CancellationToken.None));
    }

    /// <summary>True once samples are seeded and the first full route sync has been applied.</summary>
    public bool IsSynced => _synced;

    /// <summary>Raised after a version was loaded or swapped in (the prober probes it at once, so readiness does not wait a whole interval).</summary>
    public event Action? Changed;

    public IReadOnlyCollection<ModelSlot> Slots => _table.Slots;

    public IEnumerable<VersionLoadStatus> PinnedStatuses(string model) => _pinned.Loaded(model)
        .Select(m => new VersionLoadStatus(m.Version, LoadState.Loaded, m.Session.Provider.Name, null, m.WarmUpError, _time.GetUtcNow()));

    public void MarkSynced()
    {
        _synced = true;
        _syncFailure = null;
    }

    /// <summary>Why the last route sync (or the sample seeding before it) failed; null once a sync succeeds.</summary>
    public string? SyncFailure => _syncFailure;

    public void RecordSyncFailure(string why) => _syncFailure = why;

    /// <summary>
    /// A reference to every version loaded here, with its role (<c>live</c>, <c>fallback</c>, <c>pinned</c>), for the
    /// prober. The caller releases each one.
    /// </summary>
    public IReadOnlyList<(ServedModel Served, VersionRole Role)> AcquireLoaded() => Loaded().Where(l => l.Served.TryAcquire()).ToArray();

    /// <summary>
    /// Every version loaded here with its role, not acquired: for reports that read <see cref="ServedModel.Health"/> and
    /// never touch the session (which may be disposed meanwhile).
    /// </summary>
    public IReadOnlyList<(ServedModel Served, VersionRole Role)> Loaded()
    {
        var loaded = _table.Loaded().ToList();
        foreach (var pinned in _pinned.Loaded())
        {
            if (loaded.All(l => !ReferenceEquals(l.Served, pinned)))
                loaded.Add((pinned, VersionRole.Pinned));
        }

        return loaded;
    }

    /// <summary>Slots whose live version failed to load here (this host cannot serve it).</summary>
    public IReadOnlyList<ModelSlot> FailedLoads() => _table.FailedLoads();

    public bool TryGetSlot(string model, out ModelSlot slot) => _table.TryGet(model, out slot);

    /// <summary>Whether <paramref name="served"/> is the live version of its model on this silo.</summary>
    public bool IsLive(ServedModel served) => _table.IsLive(served);

    /// <summary>Hot path: a reference to the live version, if loaded here. No await, no grain call.</summary>
    public bool TryAcquireLive(string model, out ModelLease lease) => _table.TryAcquire(model, fallback: false, out lease);

    /// <summary>
    /// The fallback chain's first step, when <paramref name="broken"/>'s answer broke: the last-known-good, or, when
    /// <paramref name="broken"/> was swapped out while the request ran (a rollback or promotion just applied, which can
    /// leave no last-known-good), the version live now (<paramref name="nowLive"/> true). Never <paramref name="broken"/> itself.
    /// </summary>
    public bool TryAcquireFallbackFor(ServedModel broken, out ModelLease lease, out bool nowLive)
    {
        foreach (var fallback in (ReadOnlySpan<bool>)[true, false])
        {
            if (_table.TryAcquire(broken.Model, fallback, out lease))
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

    /// <summary>
    /// A specific version: the live one from the table, any other loaded on demand from the registry
    /// (a grain call, off the live path) and kept among a few pinned sessions.
    /// </summary>
    public async Task<ModelLease> AcquireVersionAsync(string model, string version, CancellationToken cancellationToken)
    {
        if (_table.TryGet(model, out var slot) && slot.Live?.Version == version && TryAcquireLive(model, out var live))
        {
            if (live.Model.Version == version)
                return live;
            live.Dispose();
        }

        return await _pinned.AcquireAsync(model, version, () => Changed?.Invoke(), cancellationToken);
    }

    /// <summary>
    /// Replaces this silo's session of <paramref name="model"/> <paramref name="version"/> (live or last-known-good)
    /// with a fresh load from the artifact store, checksum verified (a coordinator <c>reload</c>). In-flight requests
    /// finish on the old session. Throws <see cref="InferenceException"/> when the artifact does not verify.
    /// </summary>
    public Task<string> ReloadAsync(string model, string version, CancellationToken cancellationToken) =>
        ReplaceAsync(model, version, async old =>
        {
            var fresh = await _loader.LoadAsync(model, version, old.Sha256, old.Task, cancellationToken);
            return (fresh, $"reloaded {model} version {version} from its verified artifact {old.Sha256[..12]}...");
        }, cancellationToken);

    /// <summary>
    /// Swaps the session of a live or last-known-good version for <paramref name="make"/>'s, serialised with route
    /// changes of the model; the old session is released. Reloads use it, and so do fault drills (<see cref="HostFaults"/>).
    /// </summary>
    public async Task<string> ReplaceAsync(string model, string version, Func<ServedModel, Task<(ServedModel Replacement, string Detail)>> make,
        CancellationToken cancellationToken)
    {
        var gate = _modelGates.GetOrAdd(model, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!_table.TryGet(model, out var slot)
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
    /// Brings this silo's slot for <paramref name="route"/>'s model in line with it (<see cref="RoutePlan"/>): the live
    /// version and the last-known-good, each reused when already loaded (after a promotion the previous live session
    /// simply becomes the fallback), loaded otherwise. Serialised per model.
    /// </summary>
    public async Task ApplyAsync(ModelRoute route, CancellationToken cancellationToken)
    {
        var gate = _modelGates.GetOrAdd(route.Model, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            _table.TryGet(route.Model, out var slot);
            var plan = RoutePlan.For(route, _host.Name, slot, Artifact(slot?.Live), Artifact(slot?.Fallback));
            switch (plan.Step)
            {
                case RouteStep.Ignore:
                    return;
                case RouteStep.PlaceAway:
                    _pinned.Evict(route.Model);
                    PlaceAway(route, slot);
                    return;
                default:
                    _pinned.Evict(route.Model);
                    await ServeAsync(route, slot, plan, cancellationToken);
                    return;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Placed on other hosts: keep the route (config, replicas to forward to) and let go of the sessions; in-flight requests finish on them.</summary>
    private void PlaceAway(ModelRoute route, ModelSlot? slot)
    {
        SetSlot(new ModelSlot(route, null, null, null));
        slot?.Live?.Release();
        if (slot?.Fallback is { } placedAway && placedAway != slot.Live)
            placedAway.Release();
        if (slot?.Live is not null)
            LogPlacedAway(route.Model, ReplicaEndpoint.Describe(route.Replicas));
    }

    private async Task ServeAsync(ModelRoute route, ModelSlot? slot, RoutePlan plan, CancellationToken cancellationToken)
    {
        var owned = new List<ServedModel>(2);
        if (slot?.Live is { } oldLive)
            owned.Add(oldLive);
        if (slot?.Fallback is { } oldFallback && !owned.Contains(oldFallback))
            owned.Add(oldFallback);

        ServedModel? live = null;
        VersionLoadStatus? status = null;
        if (plan.Live is { } wantedLive)
        {
            live = plan.LoadLive ? null : Take(owned, wantedLive);
            if (live is null)
            {
                // Keep serving what is there while the new version loads; traffic moves once it is warm.
                SetSlot(new ModelSlot(route with { Revision = slot?.Route.Revision ?? 0 }, slot?.Live, slot?.Fallback,
                    Status(wantedLive.Version, LoadState.Loading, null, null, null)));
                _reporter.Report(route.Model, wantedLive.Version, LoadState.Loading, null, null);
                try
                {
                    live = await _loader.LoadAsync(route.Model, wantedLive.Version, wantedLive.Sha256, route.Task, cancellationToken);
                }
                catch (InferenceException ex)
                {
                    KeepServingAfterFailedLoad(route, slot, plan, ex.Message);
                    return;
                }

                LogLoaded(route.Model, live.Version, live.Session.Provider.Name, slot?.Live?.Version);
                _reporter.Report(route.Model, live.Version, LoadState.Loaded, live.Session.Provider.Name, live.WarmUpError);
            }

            live.UpdateContract(route.Contract);
            status = Status(live.Version, LoadState.Loaded, live.Session.Provider.Name, null, live.WarmUpError);
        }

        ServedModel? fallback = null;
        if (plan.Fallback is { } wantedFallback)
        {
            fallback = plan.FallbackFrom switch
            {
                FallbackSource.Live => live,
                FallbackSource.Reuse => Take(owned, wantedFallback),
                _ => null,
            };
            if (fallback is null)
            {
                try
                {
                    fallback = await _loader.LoadAsync(route.Model, wantedFallback.Version, wantedFallback.Sha256, route.Task, cancellationToken);
                }
                catch (InferenceException ex)
                {
                    // Serving goes on without a fallback; the failure shows in logs and metrics.
                    LogLoadFailed(route.Model, wantedFallback.Version, "fallback: " + ex.Message);
                }
            }

            fallback?.UpdateContract(route.FallbackContract);
        }

        SetSlot(new ModelSlot(route, live, fallback == live ? null : fallback, status));
        foreach (var model in owned)
        {
            if (model != live && model != fallback)
                model.Release();
        }
    }

    /// <summary>
    /// The live version did not load: keep answering with the previous live version only if it is still servable (it
    /// is the new route's last-known-good). A quarantined or retired one stops serving (503 with the reason).
    /// </summary>
    private void KeepServingAfterFailedLoad(ModelRoute route, ModelSlot? slot, RoutePlan plan, string error)
    {
        var keep = plan.KeepPreviousOnFailure ? slot?.Live : null;
        if (slot?.Live is { } dropped && dropped != keep)
            dropped.Release();
        if (keep is not null && slot?.Fallback is { } staleFallback)
            staleFallback.Release();

        SetSlot(new ModelSlot(route, keep, keep is null ? slot?.Fallback : null, Status(route.LiveVersion!, LoadState.Failed, null, error, null)));
        LogLoadFailed(route.Model, route.LiveVersion!, error);
        _reporter.Report(route.Model, route.LiveVersion!, LoadState.Failed, null, error);
    }

    private static LoadedArtifact? Artifact(ServedModel? served) => served is null ? null : new LoadedArtifact(served.Version, served.Sha256);

    /// <summary>Takes the session of <paramref name="artifact"/> out of <paramref name="owned"/>.</summary>
    private static ServedModel? Take(List<ServedModel> owned, LoadedArtifact artifact)
    {
        var match = owned.FirstOrDefault(m => m.Version == artifact.Version && m.Sha256 == artifact.Sha256);
        if (match is not null)
            owned.Remove(match);
        return match;
    }

    private async Task<ServedModel> LoadPinnedAsync(string model, string version, CancellationToken cancellationToken)
    {
        var info = await _grains.GetGrain<IModelGrain>(model).GetVersion(version);
        if (info.State == VersionState.Quarantined)
            throw new ModelUnavailableException($"version '{version}' of model '{model}' is quarantined and is not served");

        var task = _table.TryGet(model, out var slot) ? slot.Route.Task : ModelTask.Other;
        var contract = await _grains.GetGrain<IModelGrain>(model).GetContract(version);
        try
        {
            var loaded = await _loader.LoadAsync(model, version, info.Sha256, task, cancellationToken);
            loaded.UpdateContract(contract);
            return loaded;
        }
        catch (InferenceException ex)
        {
            throw new ModelUnavailableException($"version '{version}' of model '{model}' cannot be loaded on this host: {ex.Message}");
        }
    }

    private VersionLoadStatus Status(string version, LoadState state, string? provider, string? error, string? warmUpError) =>
        new(version, state, provider, error, warmUpError, _time.GetUtcNow());

    private void SetSlot(ModelSlot slot)
    {
        _table.Set(slot);
        Changed?.Invoke();
    }

    public void Dispose()
    {
        foreach (var slot in _table.Slots)
        {
            slot.Live?.Release();
            slot.Fallback?.Release();
        }

        _pinned.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} is placed on {Hosts}: unloaded here; requests are forwarded")]
    private partial void LogPlacedAway(string model, string hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} replaced on this host: {Detail}")]
    private partial void LogReplaced(string model, string version, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} is serving on {Provider} (replaced {Previous})")]
    private partial void LogLoaded(string model, string version, string provider, string? previous);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Error}")]
    private partial void LogLoadFailed(string model, string version, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying route for {Model} (revision {Revision}) failed")]
    private partial void LogApplyFailed(string model, long revision, Exception exception);
}

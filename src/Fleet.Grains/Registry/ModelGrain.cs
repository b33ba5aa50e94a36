using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Registry;

/// <summary>
/// One model's registry entry. Changes run on a copy of the state and replace it only once persisted, so a
/// refused or failed call changes nothing. Routing changes are pushed to every silo through the catalog.
/// </summary>
internal sealed partial class ModelGrain(
    [PersistentState("model", FleetStorage.Name)] IPersistentState<ModelState> state,
    TimeProvider time,
    IClusterMembershipService membership,
    ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    private const int MaxHostReports = 256;

    // Not persisted: what each silo last said about loading a version. Silos report again after a restart.
    private readonly Dictionary<(string Silo, string Version), HostLoadReport> _hostReports = [];

    private string Name => this.GetPrimaryKeyString();

    public async Task<ModelInfo> Register(ModelDefinition definition, string actor)
    {
        ModelNames.ValidateName(definition.Name);
        if (definition.Name != Name)
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"name: '{definition.Name}' does not match the grain key '{Name}'");
        }

        if (state.State.Definition is not null)
        {
            // A registration whose catalog entry failed earlier gets it now; the answer is still a conflict.
            await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).Add(Name);
            throw new RegistryException(RegistryErrorKind.Conflict, $"name: model '{Name}' is already registered");
        }

        await Mutate(s =>
        {
            var now = time.GetUtcNow();
            s.Definition = definition;
            s.CreatedAt = now;
            s.Revision = 1;
            s.Audit.Add(new AuditEntry(now, "register", null, null, definition.Description, actor));
            return 0;
        }, publish: true);
        await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).Add(Name);
        LogRegistered(Name, definition.Task);
        return Snapshot();
    }

    public Task<ModelInfo?> TryGetInfo() => Task.FromResult(state.State.Definition is null ? null : Snapshot());

    public Task<ModelVersionInfo> GetVersion(string version)
    {
        EnsureRegistered();
        return Task.FromResult(ModelLifecycle.Find(state.State, version));
    }

    public Task<ModelVersionInfo> AddVersion(NewVersion version)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.AddVersion(s, version, time.GetUtcNow()), publish: false);
    }

    public Task<Fleet.Monitoring.Quality.PromotionCheck> CheckPromotion(string version)
    {
        EnsureRegistered();
        return Task.FromResult(ModelLifecycle.CheckPromotion(state.State, version));
    }

    public async Task<LifecycleChange> Promote(string version, string reason, string actor, bool force = false)
    {
        EnsureRegistered();
        var change = await Mutate(s => ModelLifecycle.Promote(s, version, reason, actor, time.GetUtcNow(), force), publish: true);
        LogLiveChanged(Name, change.PreviousLiveVersion, change.LiveVersion, "promote");
        return change;
    }

    public async Task<LifecycleChange> Rollback(string? to, bool quarantineCurrent, string reason, string actor)
    {
        EnsureRegistered();
        var change = await Mutate(s => ModelLifecycle.Rollback(s, to, quarantineCurrent, reason, actor, time.GetUtcNow()), publish: true);
        LogLiveChanged(Name, change.PreviousLiveVersion, change.LiveVersion, "rollback");
        return change;
    }

    public Task<ModelVersionInfo> Retire(string version, string reason, string actor)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.Retire(s, version, reason, actor, time.GetUtcNow()), publish: true);
    }

    public Task<ModelVersionInfo> Quarantine(string version, string reason, string actor)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.Quarantine(s, version, reason, actor, time.GetUtcNow()), publish: true);
    }

    public Task<AuditEntry[]> GetAudit()
    {
        EnsureRegistered();
        return Task.FromResult(state.State.Audit.ToArray());
    }

    public Task<ModelRoute?> GetRoute() => Task.FromResult(state.State.Definition is null ? null : Route());

    public Task ReportLoad(HostLoadReport report)
    {
        _hostReports[(report.Silo, report.Version)] = report;
        if (_hostReports.Count > MaxHostReports)
        {
            var oldest = _hostReports.MinBy(kv => kv.Value.Time).Key;
            _hostReports.Remove(oldest);
        }

        if (report.State == LoadState.Failed)
        {
            LogHostLoadFailed(Name, report.Version, report.Silo, report.Error);
        }

        return Task.CompletedTask;
    }

    public Task<VersionContract> GetContract(string version)
    {
        EnsureRegistered();
        ModelLifecycle.Find(state.State, version);
        // Versions registered before contracts existed have none: only the always-on output checks apply.
        return Task.FromResult(state.State.Contracts.GetValueOrDefault(version) ?? new VersionContract(null, new OutputContract([], "none recorded")));
    }

    public Task<VersionContract> SetContract(string version, VersionContract contract, string actor)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.SetContract(s, version, contract, actor, time.GetUtcNow()), publish: true);
    }

    public Task<ModelConfig> GetConfig()
    {
        EnsureRegistered();
        return Task.FromResult(state.State.Config ?? ModelConfig.Default);
    }

    public Task<ModelConfig> SetConfig(ModelConfig config, string actor)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.SetConfig(s, config, actor, time.GetUtcNow()), publish: true);
    }

    public Task<GoldenSet?> GetGolden(string version)
    {
        EnsureRegistered();
        ModelLifecycle.Find(state.State, version);
        return Task.FromResult(state.State.Goldens.GetValueOrDefault(version));
    }

    public Task<GoldenSet> RecordGolden(string version, GoldenSet set, string actor)
    {
        EnsureRegistered();
        return state.State.Goldens.TryGetValue(version, out var existing)
            ? Task.FromResult(existing)
            : Mutate(s => ModelLifecycle.RecordGolden(s, version, set, actor, time.GetUtcNow()), publish: true);
    }

    public Task<ModelPin> Pin(string version, string reason, string actor)
    {
        EnsureRegistered();
        return Mutate(s => ModelLifecycle.Pin(s, version, reason, actor, time.GetUtcNow()), publish: false);
    }

    public async Task<ModelPin?> Unpin(string reason, string actor)
    {
        EnsureRegistered();
        return state.State.Pin is null ? null : await Mutate(s => ModelLifecycle.Unpin(s, reason, actor, time.GetUtcNow()), publish: false);
    }

    public Task<ModelPin?> GetPin() => Task.FromResult(state.State.Pin);

    public async Task<ModelRoute> SetReplicas(ReplicaEndpoint[]? replicas, string reason, string actor)
    {
        EnsureRegistered();
        if (!ModelLifecycle.SamePlacement(state.State.Replicas, replicas))
        {
            await Mutate(s => ModelLifecycle.SetReplicas(s, replicas, reason, actor, time.GetUtcNow()), publish: true);
            LogPlaced(Name, ReplicaEndpoint.Describe(replicas), reason);
        }

        return Route();
    }

    /// <summary>Applies <paramref name="change"/> to a copy, persists it, then swaps it in.</summary>
    private async Task<T> Mutate<T>(Func<ModelState, T> change, bool publish)
    {
        var original = state.State;
        var copy = original.Copy();
        var revision = copy.Revision;
        var result = change(copy);
        state.State = copy;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = original;
            throw;
        }

        if (publish && copy.Revision != revision)
        {
            try
            {
                await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).Publish(Route());
            }
            catch (Exception ex)
            {
                // The change is persisted; failing the call now would make a retry apply it twice (a second
                // rollback). Every silo re-reads all routes on its resync period, which delivers this one.
                LogPublishFailed(Name, copy.Revision, ex);
            }
        }

        return result;
    }

    private ModelRoute Route()
    {
        var s = state.State;
        var live = s.LiveVersion is null ? null : s.Versions.First(v => v.Version == s.LiveVersion);
        var fallbackId = ModelLifecycle.LastKnownGood(s);
        var fallback = fallbackId is null ? null : s.Versions.First(v => v.Version == fallbackId);
        return new ModelRoute(Name, s.Revision, s.Definition!.Task,
            live?.Version, live?.Sha256, live is null ? null : s.Contracts.GetValueOrDefault(live.Version),
            fallback?.Version, fallback?.Sha256, fallback is null ? null : s.Contracts.GetValueOrDefault(fallback.Version),
            s.Config ?? ModelConfig.Default, s.Replicas);
    }

    private ModelInfo Snapshot()
    {
        var s = state.State;
        // Only silos that are alive now: a dead silo's last report says nothing about the cluster any more.
        var alive = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var hosts = _hostReports.Values.Where(r => alive.Contains(r.Silo)).OrderBy(r => r.Silo, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).ToArray();
        return new ModelInfo(Name, s.Definition!.Task, s.Definition.Description, s.CreatedAt, s.LiveVersion, [.. s.Versions], hosts, s.Pin, s.Replicas, ModelLifecycle.LastKnownGood(s));
    }

    private void EnsureRegistered()
    {
        if (state.State.Definition is null)
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{Name}' not found");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered model {Model} ({Task})")]
    private partial void LogRegistered(string model, ModelTask task);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: live version {From} -> {To} ({Action})")]
    private partial void LogLiveChanged(string model, string? from, string? to, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: publishing revision {Revision} failed; silos pick it up at their next resync")]
    private partial void LogPublishFailed(string model, long revision, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} placed on {Hosts}: {Reason}")]
    private partial void LogPlaced(string model, string hosts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} version {Version} failed to load on {Silo}: {Error}")]
    private partial void LogHostLoadFailed(string model, string version, string silo, string? error);
}

using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Routing;
using Orleans.Concurrency;

namespace Fleet.Abstractions.Models;

/// <summary>
/// The registry entry of one model (key: the model name): its versions, lifecycle and audit log.
/// Every change is persisted before it is acknowledged and pushed to all silos as a <see cref="ModelRoute"/>.
/// Refusals throw <see cref="RegistryException"/>.
/// </summary>
[Alias("fleet.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task<ModelInfo> Register(ModelDefinition definition, string actor);

    /// <summary>Null when the model is not registered.</summary>
    [Alias("TryGetInfo")]
    Task<ModelInfo?> TryGetInfo();

    [Alias("GetVersion")]
    Task<ModelVersionInfo> GetVersion(string version);

    [Alias("AddVersion")]
    Task<ModelVersionInfo> AddVersion(NewVersion version);

    /// <summary>What the promotion gate says about <paramref name="version"/> now (against the current live version and floors).</summary>
    [Alias("CheckPromotion")]
    Task<Fleet.Monitoring.Quality.PromotionCheck> CheckPromotion(string version);

    /// <summary>
    /// Makes a version live unless the promotion gate refuses it (clearly worse than live on its labelled reference
    /// rows, or below the model's floors); <paramref name="force"/> with a reason overrides a refusal, audited.
    /// </summary>
    [Alias("Promote")]
    Task<LifecycleChange> Promote(string version, string reason, string actor, bool force = false);

    /// <summary>Back to <paramref name="to"/>, or to the last-known-good: the newest earlier live version that is not quarantined.</summary>
    [Alias("Rollback")]
    Task<LifecycleChange> Rollback(string? to, bool quarantineCurrent, string reason, string actor);

    [Alias("Retire")]
    Task<ModelVersionInfo> Retire(string version, string reason, string actor);

    [Alias("Quarantine")]
    Task<ModelVersionInfo> Quarantine(string version, string reason, string actor);

    [Alias("GetAudit")]
    Task<AuditEntry[]> GetAudit();

    /// <summary>Interleaves: the catalog calls it while this grain may be awaiting the catalog (publish), which would otherwise deadlock.</summary>
    [AlwaysInterleave, Alias("GetRoute")]
    Task<ModelRoute?> GetRoute();

    [Alias("ReportLoad")]
    Task ReportLoad(HostLoadReport report);

    [Alias("GetContract")]
    Task<VersionContract> GetContract(string version);

    /// <summary>Replaces a version's contract (already validated against its signature by the caller).</summary>
    [Alias("SetContract")]
    Task<VersionContract> SetContract(string version, VersionContract contract, string actor);

    [Alias("GetConfig")]
    Task<ModelConfig> GetConfig();

    [Alias("SetConfig")]
    Task<ModelConfig> SetConfig(ModelConfig config, string actor);

    /// <summary>The version's golden set; null when it has none yet (no golden file or runnable reference rows at upload, and not yet recorded from live requests).</summary>
    [Alias("GetGolden")]
    Task<GoldenSet?> GetGolden(string version);

    /// <summary>
    /// Keeps a golden set recorded from live requests (see the server's live golden capture) unless the version has one
    /// already; returns the set the version has now. A version with a golden set can become the last-known-good.
    /// </summary>
    Task<GoldenSet> RecordGolden(string version, GoldenSet set, string actor);

    /// <summary>Pins the live version: automation never moves the model and promote, rollback and retire are refused until <see cref="Unpin"/>.</summary>
    [Alias("Pin")]
    Task<ModelPin> Pin(string version, string reason, string actor);

    /// <summary>Removes the pin; returns the pin that was removed (null when the model was not pinned: nothing changes).</summary>
    [Alias("Unpin")]
    Task<ModelPin?> Unpin(string reason, string actor);

    /// <summary>Interleaves, like <see cref="GetRoute"/>: the coordinator asks while deciding.</summary>
    [AlwaysInterleave, Alias("GetPin")]
    Task<ModelPin?> GetPin();

    /// <summary>
    /// The coordinator's placement: the hosts that load and serve the model (null: every host). Idempotent: the same set
    /// again changes nothing (no new revision). Pushed to every silo with the route.
    /// </summary>
    Task<ModelRoute> SetReplicas(ReplicaEndpoint[]? replicas, string reason, string actor);
}

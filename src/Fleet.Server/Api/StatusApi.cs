using Fleet.Abstractions.Hosts;
using Fleet.Inference.Onnx;
using Fleet.Abstractions.Models;
using Fleet.Server.Health;
using Fleet.Server.Hosting;
using Fleet.Server.Serving;

namespace Fleet.Server.Api;

/// <summary>
/// <c>GET /api/v1/status</c>: this silo (its version, execution provider and health), and what it has loaded, each
/// loaded version with its role and probe state.
/// </summary>
internal static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/status", (ModelHost host, HostIdentity identity, OnnxSessionFactory sessions) =>
        {
            var loaded = host.Loaded();
            // The same judgement as the prober's report to the host grain (GET /api/v1/hosts), from this silo's latest probes.
            var (status, reasons) = HostHealth.Evaluate(
                loaded.Select(l => new VersionStatus(l.Served.Model, l.Served.Version, l.Role, l.Served.Health)).ToArray(),
                host.FailedLoads().Select(s => ModelStatus.Describe(s.Route.Model, s)).ToArray());
            return new
            {
                host = new
                {
                    silo = identity.Name,
                    address = identity.Address,
                    version = ServerInfo.InformationalVersion,
                    cluster_mode = identity.ClusterMode,
                    execution_provider = sessions.PreferredProvider,
                    execution_provider_note = sessions.CudaUnavailableReason,
                    started_at = identity.StartedAt,
                    ready = HealthApi.Ready(host, identity) is IStatusCodeHttpResult { StatusCode: 200 },
                    status,
                    reasons,
                },
                models = host.Slots.OrderBy(s => s.Route.Model, StringComparer.Ordinal).Select(s => new
                {
                    name = s.Route.Model,
                    live_version = s.Route.LiveVersion,
                    serving_version = s.Live?.Version,
                    fallback_version = s.Fallback?.Version,
                    input_contract = s.Route.Config.InputContract,
                    fallback = string.Join(",", s.Route.Config.Fallback.Select(ModelConfigPatch.Name)),
                    loaded = Loaded(s, loaded).Select(l => new
                    {
                        version = l.Status.Version,
                        role = l.Role,
                        state = l.Status.State,
                        provider = l.Status.Provider,
                        error = l.Status.Error,
                        warmup_error = l.Status.WarmUpError,
                        time = l.Status.Time,
                        probe = l.Served is null ? null : ModelStatus.ProbeState(l.Served),
                        golden = l.Served?.GoldenState,
                    }),
                }),
            };
        });
        return api;
    }

    /// <summary>
    /// The slot's versions: the live one, the load in progress or failed (when it is another version), the last-known-good
    /// and pinned ones; <c>Served</c> is null for a version not loaded here.
    /// </summary>
    private static IEnumerable<(VersionLoadStatus Status, VersionRole? Role, ServedModel? Served)> Loaded(
        ModelSlot slot, IReadOnlyList<(ServedModel Served, VersionRole Role)> loaded)
    {
        if (slot.Live is { } live && slot.Status?.Version != live.Version)
        {
            yield return (Describe(live, default), VersionRole.Live, live);
        }

        if (slot.Status is { } status)
        {
            var served = status.State == LoadState.Loaded && slot.Live?.Version == status.Version ? slot.Live : null;
            yield return (status, status.Version == slot.Route.LiveVersion ? VersionRole.Live : null, served);
        }

        foreach (var (other, role) in loaded.Where(l => l.Role != VersionRole.Live && l.Served.Model == slot.Route.Model)
                     .Where(l => l.Served.Version != slot.Live?.Version))
        {
            yield return (Describe(other, default), role, other);
        }
    }

    private static VersionLoadStatus Describe(ServedModel served, DateTimeOffset time) =>
        new(served.Version, LoadState.Loaded, served.Session.Provider.Name, null, served.WarmUpError, time);
}

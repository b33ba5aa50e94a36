using Fleet.Inference.Onnx;
using Fleet.Models;
using Fleet.Server.Serving;

namespace Fleet.Server.Api;

/// <summary><c>GET /api/v1/status</c>: this silo, its execution provider, and what it has loaded.</summary>
internal static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/status", (ModelHost host, HostIdentity identity, OnnxSessionFactory sessions) => new
        {
            host = new
            {
                silo = identity.Name,
                address = identity.Address,
                cluster_mode = identity.ClusterMode,
                execution_provider = sessions.PreferredProvider,
                execution_provider_note = sessions.CudaUnavailableReason,
                started_at = identity.StartedAt,
                ready = HealthApi.Ready(host, identity) is IStatusCodeHttpResult { StatusCode: 200 },
            },
            models = host.Slots.OrderBy(s => s.Route.Model, StringComparer.Ordinal).Select(s => new
            {
                name = s.Route.Model,
                live_version = s.Route.LiveVersion,
                serving_version = s.Live?.Version,
                fallback_version = s.Fallback?.Version,
                input_contract = s.Route.Config.InputContract,
                fallback = string.Join(",", s.Route.Config.Fallback.Select(ModelConfigPatch.Name)),
                loaded = Loaded(s).Concat(host.PinnedStatuses(s.Route.Model)).Select(l => new
                {
                    version = l.Version,
                    state = l.State,
                    provider = l.Provider,
                    error = l.Error,
                    warmup_error = l.WarmUpError,
                    time = l.Time,
                }),
            }),
        });
        return api;
    }

    private static IEnumerable<VersionLoadStatus> Loaded(ModelSlot slot)
    {
        if (slot.Live is { } live && slot.Status?.Version != live.Version)
        {
            yield return new VersionLoadStatus(live.Version, LoadState.Loaded, live.Session.Provider.Name, null, live.WarmUpError, default);
        }

        if (slot.Status is { } status)
        {
            yield return status;
        }
    }
}

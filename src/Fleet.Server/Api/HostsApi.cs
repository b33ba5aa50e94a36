using Fleet.Abstractions.Models;
using Fleet.Abstractions.Coordination;
using Fleet.Grains.Hosts;
using Fleet.Abstractions.Hosts;
using Fleet.Inference.Artifacts;
using Fleet.Server.Health;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;
using Microsoft.Extensions.Options;
using Fleet.Abstractions.Security;
using Fleet.Server.Security;

namespace Fleet.Server.Api;

/// <summary>
/// <c>GET /api/v1/hosts[/{id}]</c>: every host with its probe status (as membership sees it: a dead silo is gone),
/// provider, memory and loaded versions; <c>POST /api/v1/faults</c>: fault injection on this host, when enabled.
/// </summary>
internal static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/hosts", ListHosts).WithTags("Hosts");
        api.MapGet("/hosts/{id}", GetHost).WithTags("Hosts");
        api.MapPost("/faults", (Delegate)InjectFault).WithTags("Hosts").Needs(AccessRole.Admin, "injecting a fault");
        return api;
    }

    private static async Task<object> ListHosts(IGrainFactory grains, IClusterMembershipService membership, TimeProvider time)
    {
        var members = HostLiveness.ByName(membership.CurrentSnapshot.Members.Values);
        var known = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetHostIds();
        var ids = known.Concat(members.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IHostGrain>(id).GetView()));
        var now = time.GetUtcNow();
        return new
        {
            hosts = ids.Zip(views)
                .Select(x => Describe(x.First, x.Second, members.TryGetValue(x.First, out var s) ? s : null, now, detail: false))
                .ToArray(),
        };
    }

    private static async Task<object> GetHost(string id, IGrainFactory grains, IClusterMembershipService membership, TimeProvider time)
    {
        var members = HostLiveness.ByName(membership.CurrentSnapshot.Members.Values);
        var view = await grains.GetGrain<IHostGrain>(id).GetView();
        if (view is null && !members.ContainsKey(id))
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"host '{id}' not found");
        }

        return Describe(id, view, members.TryGetValue(id, out var s) ? s : null, time.GetUtcNow(), detail: true);
    }

    /// <summary>One host as JSON; a member that has not reported yet is unhealthy ("no probe report yet").</summary>
    private static Dictionary<string, object?> Describe(string id, HostView? view, SiloStatus? member, DateTimeOffset now, bool detail)
    {
        if (view is null)
        {
            return new Dictionary<string, object?>
            {
                ["id"] = id,
                ["address"] = null,
                ["url"] = null,
                ["status"] = HostStatus.Unhealthy,
                ["reasons"] = new[] { member == SiloStatus.Active ? "no probe report yet (starting up)" : $"gone: silo '{id}' never reported" },
                ["membership"] = member == SiloStatus.Active ? HostLiveness.Active : HostLiveness.Gone,
                ["provider"] = null,
                ["models"] = Array.Empty<object>(),
                ["last_probe"] = null,
            };
        }

        var last = view.Last;
        var (status, reasons, membershipState) = HostLiveness.Evaluate(last, member, now);
        var host = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["address"] = last.Address,
            ["url"] = last.Url,
            ["status"] = status,
            ["reasons"] = reasons,
            ["membership"] = membershipState,
            ["provider"] = last.Provider,
            ["provider_note"] = last.ProviderNote,
            ["models"] = last.Versions.Select(v => new
            {
                model = v.Model,
                version = v.Version,
                role = v.Role,
                verdict = v.Verdict,
                failing = v.Failing,
                detail = v.Detail,
                consecutive_failures = v.ConsecutiveFailures,
                provider = v.Provider,
                latency_ms = v.LatencyMs,
                baseline_ms = v.BaselineMs,
                last_probe = v.LastProbe,
                golden = v.Golden,
            }).ToArray(),
            ["memory"] = new
            {
                working_set_bytes = last.Memory.WorkingSetBytes,
                managed_heap_bytes = last.Memory.ManagedHeapBytes,
                available_bytes = last.Memory.AvailableBytes,
            },
            ["last_probe"] = last.At,
            ["status_since"] = view.StatusSince,
            ["started_at"] = last.StartedAt,
            ["probe_interval_seconds"] = last.Interval.TotalSeconds,
        };
        if (detail)
        {
            host["probes"] = view.History.Reverse().Select(r => new
            {
                time = r.At,
                model = r.Model,
                version = r.Version,
                check = r.Check,
                passed = r.Passed,
                detail = r.Detail,
                milliseconds = r.Milliseconds,
            }).ToArray();
            host["pending_commands"] = view.Pending;
            host["commands"] = view.Commands.Reverse().ToArray();
        }

        return host;
    }

    private static async Task<IResult> InjectFault(HttpContext context)
    {
        if (context.RequestServices.GetService<HostFaults>() is not { } faults)
            return Results.Json(new { error = "fault injection is off on this host (Fleet:FaultInjection:Enabled=false; only for tests and drills)" }, statusCode: 403);

        var body = await AdminApi.ReadAsync<FaultRequest>(context, allowEmpty: false);
        if (body.Kind == "crash_coordinator")
        {
            var silo = await faults.ArmCoordinatorCrashAsync();
            return Results.Ok(new { kind = body.Kind, host = silo, detail = $"the coordinator kills silo {silo} after persisting its next decision as pending" });
        }

        var model = body.Model ?? throw new InvalidRequestException("model: missing");
        var version = body.Version ?? throw new InvalidRequestException("version: missing");
        if (body.Kind != "weights")
            throw new InvalidRequestException($"kind: '{body.Kind}' is not a fault kind (weights, crash_coordinator)");

        var detail = await faults.SwapWeightsAsync(model, version, body.ArtifactSha256 ?? "", context.RequestAborted);
        return Results.Ok(new { model, version, kind = body.Kind, detail });
    }
}

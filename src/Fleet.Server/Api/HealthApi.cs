using Fleet.Abstractions.Models;
using Fleet.Server.Hosting;
using Fleet.Server.Serving;

namespace Fleet.Server.Api;

/// <summary>Open Inference Protocol health and metadata: <c>/v2/health/*</c>, <c>/v2</c>, <c>/v2/models/{name}[/versions/{v}][/ready]</c>.</summary>
internal static class HealthApi
{
    public const string Platform = "onnxruntime_onnx";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Health");
        v2.MapGet("/health/live", () => Results.Ok(new { live = true }));
        v2.MapGet("/health/ready", Ready);
        v2.MapGet("", () => Results.Ok(new { name = "fleet", version = ServerInfo.Version, extensions = Array.Empty<string>() }));
        v2.MapGet("/models/{name}", ModelMetadata);
        v2.MapGet("/models/{name}/versions/{version}", VersionMetadata);
        v2.MapGet("/models/{name}/ready", ModelReady);
        v2.MapGet("/models/{name}/versions/{version}/ready", VersionReady);
        return app;
    }

    /// <summary>
    /// Strict: ready when the first route sync is done and every model this host should serve (each live model placed on
    /// it, see <see cref="Fleet.Abstractions.Routing.ModelRoute.Replicas"/>) has that version loaded here and passing its probes
    /// (golden, liveness, artifact).
    /// </summary>
    internal static IResult Ready(ModelHost host, HostIdentity identity)
    {
        if (!host.IsSynced)
        {
            var why = host.SyncFailure is { } failure ? $"routing table not synced yet: {failure}" : "routing table not synced yet (starting up)";
            return Results.Json(new { ready = false, error = why, not_ready = Array.Empty<string>() }, statusCode: 503);
        }

        var notReady = host.Slots
            .Where(s => ShouldServe(s, identity.Name))
            .Select(s => s.Live?.Version != s.Route.LiveVersion ? ModelStatus.Describe(s.Route.Model, s) : ModelStatus.ProbeProblem(s.Live!))
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();
        return notReady.Length == 0
            ? Results.Ok(new { ready = true })
            : Results.Json(new { ready = false, error = string.Join("; ", notReady), not_ready = notReady }, statusCode: 503);
    }

    private static async Task<IResult> ModelMetadata(string name, ModelHost host, IGrainFactory grains)
    {
        var info = await GetInfoAsync(grains, name);
        host.TryGetSlot(name, out var slot);
        var live = info.LiveVersion is null ? null : info.Versions.Single(v => v.Version == info.LiveVersion);
        return Results.Ok(new
        {
            name,
            versions = info.Versions.Where(v => v.State != VersionState.Quarantined).Select(v => v.Version).ToArray(),
            platform = Platform,
            inputs = live?.Inputs ?? [],
            outputs = live?.Outputs ?? [],
            parameters = new
            {
                task = info.Task,
                live_version = info.LiveVersion,
                serving_version = slot?.Live?.Version,
                execution_provider = slot?.Live?.Session.Provider.Name,
                execution_provider_note = slot?.Live?.Session.Provider.FallbackReason,
                sha256 = live?.Sha256,
            },
        });
    }

    private static async Task<IResult> VersionMetadata(string name, string version, ModelHost host, IGrainFactory grains)
    {
        var info = await GetInfoAsync(grains, name);
        var v = info.Versions.FirstOrDefault(x => x.Version == version)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' has no version '{version}'");
        host.TryGetSlot(name, out var slot);
        var loaded = slot?.Live?.Version == version ? slot.Live : null;
        return Results.Ok(new
        {
            name,
            versions = new[] { version },
            platform = Platform,
            inputs = v.Inputs,
            outputs = v.Outputs,
            parameters = new
            {
                state = v.State,
                sha256 = v.Sha256,
                execution_provider = loaded?.Session.Provider.Name,
            },
        });
    }

    /// <summary>The models this host must serve for readiness: every live model placed on it (every live model when not placed).</summary>
    private static bool ShouldServe(ModelSlot slot, string host) => slot.Route.LiveVersion is not null && slot.Route.IsAssignedTo(host);

    /// <summary>Ready when the live version is loaded here and passing its probes.</summary>
    private static async Task<IResult> ModelReady(string name, ModelHost host, IGrainFactory grains)
    {
        if (host.TryGetSlot(name, out var slot) && slot.Route.LiveVersion is not null && slot.Live?.Version == slot.Route.LiveVersion)
        {
            return ModelStatus.ProbeProblem(slot.Live) is { } problem
                ? throw new ModelUnavailableException(problem)
                : Results.Ok(new { name, ready = true, version = slot.Live.Version });
        }

        throw await ModelStatus.UnavailableAsync(host, grains, name);
    }

    private static async Task<IResult> VersionReady(string name, string version, ModelHost host, IGrainFactory grains)
    {
        if (host.TryGetSlot(name, out var slot) && slot.Live?.Version == version)
        {
            return Results.Ok(new { name, ready = true, version });
        }

        if (host.PinnedStatuses(name).Any(s => s.Version == version))
        {
            return Results.Ok(new { name, ready = true, version });
        }

        var info = await GetInfoAsync(grains, name);
        if (info.Versions.All(v => v.Version != version))
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' has no version '{version}'");
        }

        throw new ModelUnavailableException($"version '{version}' of model '{name}' is not loaded on this host");
    }

    private static async Task<ModelInfo> GetInfoAsync(IGrainFactory grains, string name)
    {
        if (!ModelNames.IsValidName(name))
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
        }

        return await grains.GetGrain<IModelGrain>(name).TryGetInfo()
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
    }
}

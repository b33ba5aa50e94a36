using Fleet.Abstractions.Models;
using Fleet.Server.Serving;

namespace Fleet.Server.Api;

/// <summary>Explains why a model cannot answer on this silo: unknown (404) or registered but not servable (503).</summary>
internal static class ModelStatus
{
    public static async Task<Exception> UnavailableAsync(ModelHost host, IGrainFactory grains, string name)
    {
        if (!ModelNames.IsValidName(name))
        {
            return new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
        }

        if (host.TryGetSlot(name, out var slot))
        {
            return new ModelUnavailableException(Describe(name, slot));
        }

        var info = await grains.GetGrain<IModelGrain>(name).TryGetInfo();
        if (info is null)
        {
            return new RegistryException(RegistryErrorKind.NotFound, $"model '{name}' not found");
        }

        return info.LiveVersion is null
            ? new ModelUnavailableException($"model '{name}' has no live version")
            : new ModelUnavailableException($"model '{name}' version '{info.LiveVersion}' is not loaded on this host yet");
    }

    /// <summary>Why a loaded version is not ready by its probes; null when it passes them.</summary>
    public static string? ProbeProblem(ServedModel served)
    {
        var health = served.Health;
        return health.Verdict switch
        {
            Fleet.Abstractions.Hosts.ProbeVerdict.Passing => null,
            Fleet.Abstractions.Hosts.ProbeVerdict.Failing =>
                $"model '{served.Model}' version '{served.Version}' is failing its {string.Join(", ", health.Failing)} probe on this host: {health.Detail}",
            _ => $"model '{served.Model}' version '{served.Version}' has not passed its probes on this host yet" +
                (health.Detail is { } last ? $" (last: {last})" : health.LastProbe is null ? " (not probed yet)" : string.Empty),
        };
    }

    /// <summary>
    /// A loaded version's probe state for reports: <c>failing: REASON</c> (a hard check is failing), <c>no golden set yet</c>
    /// (the probe checks liveness, artifact and provider only, see <see cref="ServedModel.GoldenState"/>), <c>passing</c>, or
    /// <c>never passed</c> (not probed yet, or a hard check has not passed once), in that order.
    /// </summary>
    public static string ProbeState(ServedModel served)
    {
        var health = served.Health;
        return health.Verdict switch
        {
            Fleet.Abstractions.Hosts.ProbeVerdict.Failing => $"failing: {string.Join(", ", health.Failing.Where(Fleet.Server.Health.ProbeChecks.IsHard))} probe: {health.Detail}",
            // Golden is null before the first probe too: only a probed version is known to have no golden set.
            _ when served.Golden is null && health.LastProbe is not null => "no golden set yet",
            Fleet.Abstractions.Hosts.ProbeVerdict.Passing => "passing",
            _ => "never passed" + (health.Detail is { } last ? $" (last: {last})" : health.LastProbe is null ? " (not probed yet)" : string.Empty),
        };
    }

    public static string Describe(string name, ModelSlot slot) => slot switch
    {
        { Route.LiveVersion: null } => $"model '{name}' has no live version",
        { Status: { State: LoadState.Failed } s } => $"model '{name}' version '{s.Version}' failed to load on this host: {s.Error}",
        { Status: { State: LoadState.Loading } s } => $"model '{name}' version '{s.Version}' is still loading on this host",
        _ => $"model '{name}' is not loaded on this host",
    };
}

using Fleet.Models;
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

    public static string Describe(string name, ModelSlot slot) => slot switch
    {
        { Route.LiveVersion: null } => $"model '{name}' has no live version",
        { Status: { State: LoadState.Failed } s } => $"model '{name}' version '{s.Version}' failed to load on this host: {s.Error}",
        { Status: { State: LoadState.Loading } s } => $"model '{name}' version '{s.Version}' is still loading on this host",
        _ => $"model '{name}' is not loaded on this host",
    };
}

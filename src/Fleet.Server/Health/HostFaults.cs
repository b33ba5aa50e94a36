using Fleet.Abstractions.Coordination;
using Fleet.Inference.Artifacts;
using Fleet.Server.Protocol;
using Fleet.Server.Serving;

namespace Fleet.Server.Health;

/// <summary>
/// The fault drills of <c>POST /api/v1/faults</c>: swapped weights on this host, a coordinator crash armed. The one
/// seam through which Fleet breaks itself on purpose, registered only when <c>Fleet:FaultInjection:Enabled</c>, so
/// production types carry no drill code and a production host has nothing to call.
/// </summary>
internal sealed class HostFaults(ModelHost host, VersionLoader loader, ArtifactStore store, IGrainFactory grains)
{
    /// <summary>
    /// Serves the stored artifact <paramref name="sha256"/> as <paramref name="model"/> <paramref name="version"/> on this
    /// host, without a checksum check, as if its weights had been swapped on disk.
    /// </summary>
    public Task<string> SwapWeightsAsync(string model, string version, string sha256, CancellationToken cancellationToken)
    {
        if (!ArtifactStore.IsValidDigest(sha256) || !store.Contains(sha256))
            throw new InvalidRequestException($"artifact_sha256: '{sha256}' is not a stored artifact");

        var path = store.PathFor(sha256);
        return host.ReplaceAsync(model, version, async old =>
        {
            var faulty = await Task.Run(() => loader.Open(model, version, old.Sha256, old.Task, path), cancellationToken);
            return (faulty, $"{model} version {version} now runs the weights of {Path.GetFileName(path)} on this host (checksum not verified)");
        }, cancellationToken);
    }

    /// <summary>The coordinator kills its silo after persisting its next decision as pending (a restart drill); returns that silo.</summary>
    public Task<string> ArmCoordinatorCrashAsync() => grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).ArmCrash();
}

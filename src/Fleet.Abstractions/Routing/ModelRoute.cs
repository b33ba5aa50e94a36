using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;

namespace Fleet.Abstractions.Routing;

/// <summary>
/// What every silo needs to serve a model without asking a grain: the live version, its artifact and
/// contract, the last-known-good version to fall back to (loaded in advance), and the model's config.
/// <see cref="Revision"/> grows with every change so a silo can drop a stale push. <see cref="Replicas"/>: the hosts
/// the coordinator placed the model on; a silo not among them does not load it and forwards its requests to one of
/// them. Null: not placed (every host serves it: one silo, or no more hosts than the replication factor).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelRoute")]
public sealed record ModelRoute(
    [property: Id(0)] string Model,
    [property: Id(1)] long Revision,
    [property: Id(2)] ModelTask Task,
    [property: Id(3)] string? LiveVersion,
    [property: Id(4)] string? Sha256,
    [property: Id(5)] VersionContract? Contract,
    [property: Id(6)] string? FallbackVersion,
    [property: Id(7)] string? FallbackSha256,
    [property: Id(8)] VersionContract? FallbackContract,
    [property: Id(9)] ModelConfig Config,
    [property: Id(10)] ReplicaEndpoint[]? Replicas = null)
{
    /// <summary>Whether <paramref name="host"/> should load and serve this model.</summary>
    public bool IsAssignedTo(string host) => Replicas is null || Array.Exists(Replicas, r => r.Host == host);
}

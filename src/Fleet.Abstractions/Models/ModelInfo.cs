namespace Fleet.Abstractions.Models;

/// <summary>Everything the registry knows about one model.</summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] ModelTask Task,
    [property: Id(2)] string Description,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string? LiveVersion,
    [property: Id(5)] ModelVersionInfo[] Versions,
    [property: Id(6)] HostLoadReport[] Hosts,
    [property: Id(7)] ModelPin? Pin = null,
    [property: Id(8)] Fleet.Abstractions.Routing.ReplicaEndpoint[]? Replicas = null,
    [property: Id(9)] string? LastKnownGood = null);

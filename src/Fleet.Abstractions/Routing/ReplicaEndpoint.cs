namespace Fleet.Abstractions.Routing;

/// <summary>
/// One host the coordinator placed a model on: the silo name (<see cref="Host"/>, as in <c>fleet hosts</c>) and the
/// HTTP base URL other silos forward requests to (<c>http://127.0.0.1:5001/</c>; null when the host did not report one).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ReplicaEndpoint")]
public sealed record ReplicaEndpoint(
    [property: Id(0)] string Host,
    [property: Id(1)] string? Url)
{
    /// <summary>A placement as people read it: "Silo_a, Silo_b", or "every host" for none (every host serves the model).</summary>
    public static string Describe(ReplicaEndpoint[]? replicas) => replicas is null ? "every host" : string.Join(", ", replicas.Select(r => r.Host));
}

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// One coordinator decision, persisted with its evidence before it is acted on. <see cref="Action"/>:
/// <c>rollback</c> (live version back to the last-known-good, the bad one quarantined), <c>reload</c> (one host
/// reloads a version from its verified artifact), <c>place</c> (the model's replicas spread over hosts),
/// <c>failover</c> (replicas moved off dead or unhealthy hosts; <see cref="Replicas"/> is the new placement),
/// <c>degraded</c> (no healthy host is left for the model: its hosts serve through their fallback chain) or <c>skipped</c> (the policy fired but a safety rule held it back,
/// <see cref="IntendedAction"/> says what it would have done). <see cref="Status"/>: <c>pending</c> (recorded, not
/// yet applied: finished after a coordinator restart), <c>done</c> or <c>failed</c>, with the <see cref="Outcome"/>.
/// Both enums are stored as those strings (<see cref="Serialization.DecisionActionCodec"/>), so decisions stored before read back.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.Decision")]
public sealed record Decision(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] string Model,
    [property: Id(3)] DecisionAction Action,
    [property: Id(4)] string? FromVersion,
    [property: Id(5)] string? ToVersion,
    [property: Id(6)] string? Host,
    [property: Id(7)] string Reason,
    [property: Id(8)] DecisionEvidence Evidence,
    [property: Id(9)] DecisionStatus Status,
    [property: Id(10)] string? Outcome,
    [property: Id(11)] DateTimeOffset? CompletedAt,
    [property: Id(12)] DecisionAction? IntendedAction,
    [property: Id(13)] Fleet.Abstractions.Routing.ReplicaEndpoint[]? Replicas = null);

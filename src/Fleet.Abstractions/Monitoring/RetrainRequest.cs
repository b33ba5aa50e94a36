namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// A request to retrain a model: why, with the evidence, when, and what delivery it got. One open request per
/// model: later triggers (another kind, another version, or the same alarm firing again after it cleared) add to
/// <see cref="Triggers"/> of the open one, each with its version, evidence and time; acknowledging closes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RetrainRequest")]
public sealed record RetrainRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] string Model,
    [property: Id(2)] string? Version,
    [property: Id(3)] DateTimeOffset OpenedAt,
    [property: Id(4)] RetrainReason[] Triggers,
    [property: Id(5)] RetrainStatus Status,
    [property: Id(6)] string? AckedBy,
    [property: Id(7)] DateTimeOffset? AckedAt,
    [property: Id(8)] string? Note,
    [property: Id(9)] RetrainDelivery[] Deliveries);

/// <summary>One trigger that fired: which (drift, quality, estimated_quality, staleness), a sentence and the numbers.</summary>
[GenerateSerializer, Immutable, Alias("fleet.RetrainReason")]
public sealed record RetrainReason(
    [property: Id(0)] string Trigger,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason,
    [property: Id(3)] Dictionary<string, double> Evidence)
{
    /// <summary>The version the trigger fired on (null on triggers stored before it was recorded: the request's version).</summary>
    [Id(4)] public string? Version { get; init; }
}

/// <summary>A delivery attempt to a webhook or a command: target, outcome, detail (status code, exit code, error).</summary>
[GenerateSerializer, Immutable, Alias("fleet.RetrainDelivery")]
public sealed record RetrainDelivery(
    [property: Id(0)] string Target,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] bool Ok,
    [property: Id(3)] string Detail);

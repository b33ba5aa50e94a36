using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Alerting;

/// <summary>An incident's state: <c>open</c>, <c>acknowledged</c> (a person has it), <c>mitigated</c> (Fleet or a person acted), <c>resolved</c>.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<IncidentState>))]
public enum IncidentState
{
    Open,
    Acknowledged,
    Mitigated,
    Resolved,
}

/// <summary>
/// The story of one problem with one model: opened by a critical alert or a coordinator decision (rollback,
/// failover, degraded), joined by everything that happens to the model until a person resolves it.
/// <see cref="StartedAt"/> is the first evidence (the earliest signal behind it), <see cref="DetectedAt"/> when it was
/// opened (an alert fired or a decision was made), <see cref="MitigatedAt"/> when the first mitigating action
/// completed (a rollback, failover or reload done; a retraining request for drift).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.Incident")]
public sealed record Incident(
    [property: Id(0)] string Id,
    [property: Id(1)] string Model,
    [property: Id(2)] string Title,
    [property: Id(3)] Severity Severity,
    [property: Id(4)] IncidentState State,
    [property: Id(5)] string[] Versions,
    [property: Id(6)] string[] Hosts,
    [property: Id(7)] string[] Alerts,
    [property: Id(8)] DateTimeOffset StartedAt,
    [property: Id(9)] DateTimeOffset DetectedAt,
    [property: Id(10)] DateTimeOffset? AcknowledgedAt,
    [property: Id(11)] DateTimeOffset? MitigatedAt,
    [property: Id(12)] DateTimeOffset? ResolvedAt,
    [property: Id(13)] IncidentEvent[] Timeline)
{
    /// <summary>From the first evidence to detection.</summary>
    public TimeSpan TimeToDetect => DetectedAt - StartedAt;

    /// <summary>From the first evidence to mitigation; null until mitigated.</summary>
    public TimeSpan? TimeToMitigate => MitigatedAt - StartedAt;

    /// <summary>From the first evidence to resolution; null until resolved.</summary>
    public TimeSpan? TimeToResolve => ResolvedAt - StartedAt;
}

/// <summary>
/// One line of an incident's timeline. <see cref="Kind"/>: <c>signal</c>, <c>alert_firing</c>, <c>alert_resolved</c>,
/// <c>decision</c>, <c>mitigated</c>, <c>ack</c>, <c>note</c>, <c>resolve</c>; <see cref="Actor"/> is <c>fleet</c> or
/// the person (or script) who acted.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.IncidentEvent")]
public sealed record IncidentEvent(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Summary,
    [property: Id(3)] string Actor);

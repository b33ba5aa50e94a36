namespace Fleet.Abstractions.Alerting;

/// <summary>
/// Mutes the alerts whose labels match every one of its <see cref="Matchers"/> (<c>label=value</c>,
/// <c>label!=value</c>, <c>label=~regex</c>, <c>label!~regex</c>, as Alertmanager writes them) from
/// <see cref="StartsAt"/> until <see cref="EndsAt"/>. A silenced alert still changes state and is listed (with
/// <c>silenced: true</c>); it is not sent to any sink and opens no incident.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.Silence")]
public sealed record Silence(
    [property: Id(0)] string Id,
    [property: Id(1)] string[] Matchers,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] string Comment,
    [property: Id(5)] string CreatedBy);

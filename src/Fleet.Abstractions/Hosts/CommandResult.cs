namespace Fleet.Abstractions.Hosts;

/// <summary>How a host carried out a <see cref="HostCommand"/>.</summary>
[GenerateSerializer, Immutable, Alias("fleet.CommandResult")]
public sealed record CommandResult(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Ok,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTimeOffset At);

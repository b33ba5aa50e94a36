namespace Fleet.Abstractions.Hosts;

/// <summary>
/// Work the coordinator hands a host through its host grain, picked up with the host's next report.
/// <see cref="Kind"/>: <c>reload</c> (replace the loaded session of <see cref="Model"/> <see cref="Version"/> with a
/// fresh load from the verified artifact). <see cref="Id"/> is the decision's id: a command is applied once.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.HostCommand")]
public sealed record HostCommand(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Model,
    [property: Id(3)] string Version,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset At);

namespace Fleet.Abstractions.Hosts;

/// <summary>
/// One check of one probe of a loaded version: <see cref="Check"/> is <c>golden</c>, <c>liveness</c>,
/// <c>artifact</c>, <c>latency</c> or <c>provider</c>; <see cref="Detail"/> says what was seen.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ProbeResult")]
public sealed record ProbeResult(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Model,
    [property: Id(2)] string Version,
    [property: Id(3)] string Check,
    [property: Id(4)] bool Passed,
    [property: Id(5)] string Detail,
    [property: Id(6)] double? Milliseconds);

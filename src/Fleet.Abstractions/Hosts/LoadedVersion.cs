namespace Fleet.Abstractions.Hosts;

/// <summary>
/// A version loaded on a host and how its probes stand there. <see cref="Role"/> is <c>live</c>, <c>fallback</c>
/// (the last-known-good, preloaded) or <c>pinned</c> (loaded on demand by a versioned request); <see cref="Failing"/>
/// names the checks that are failing, <see cref="Detail"/> the latest failure.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.LoadedVersion")]
public sealed record LoadedVersion(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] VersionRole Role,
    [property: Id(3)] string Sha256,
    [property: Id(4)] string Provider,
    [property: Id(5)] ProbeVerdict Verdict,
    [property: Id(6)] string[] Failing,
    [property: Id(7)] string? Detail,
    [property: Id(8)] int ConsecutiveFailures,
    [property: Id(9)] double? LatencyMs,
    [property: Id(10)] double? BaselineMs,
    [property: Id(11)] DateTimeOffset? LastProbe,
    [property: Id(12)] string? Golden = null);

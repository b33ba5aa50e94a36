namespace Fleet.Abstractions.Hosts;

/// <summary>
/// What a silo's prober sends its host grain after every probe cycle: its status with the reasons, provider,
/// memory, the versions it has loaded with their verdicts, this cycle's probe results, and the outcome of commands.
/// <see cref="Interval"/> and <see cref="Timeout"/> are its probe settings, so a reader can tell a stale report.
/// <see cref="Url"/>: its HTTP base URL, where other silos forward requests for models placed on it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.HostReport")]
public sealed record HostReport(
    [property: Id(0)] string Id,
    [property: Id(1)] string Address,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] HostStatus Status,
    [property: Id(5)] string[] Reasons,
    [property: Id(6)] string Provider,
    [property: Id(7)] string? ProviderNote,
    [property: Id(8)] HostMemory Memory,
    [property: Id(9)] LoadedVersion[] Versions,
    [property: Id(10)] ProbeResult[] Results,
    [property: Id(11)] CommandResult[] CommandResults,
    [property: Id(12)] TimeSpan Interval,
    [property: Id(13)] TimeSpan Timeout,
    [property: Id(14)] int FailureThreshold,
    [property: Id(15)] int History,
    [property: Id(16)] FailedLoad[]? FailedLoads = null,
    [property: Id(17)] string? Url = null);

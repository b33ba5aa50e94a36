namespace Fleet.Abstractions.Hosts;

/// <summary>
/// What a host grain knows: the host's last report (without its probe results), since when its status is what it
/// is, the last probe results (oldest first), commands waiting for the host, and the outcome of earlier ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.HostView")]
public sealed record HostView(
    [property: Id(0)] HostReport Last,
    [property: Id(1)] DateTimeOffset StatusSince,
    [property: Id(2)] ProbeResult[] History,
    [property: Id(3)] HostCommand[] Pending,
    [property: Id(4)] CommandResult[] Commands);

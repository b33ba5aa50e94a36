namespace Fleet.Abstractions.Hosts;

/// <summary>A host's health from its probes: healthy, degraded (serves, but something is off), unhealthy (a live version fails, or it is gone).</summary>
[GenerateSerializer, Alias("fleet.HostStatus")]
public enum HostStatus
{
    Healthy = 0,
    Degraded = 1,
    Unhealthy = 2,
}

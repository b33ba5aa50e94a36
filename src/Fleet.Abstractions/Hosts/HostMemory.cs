namespace Fleet.Abstractions.Hosts;

/// <summary>The host process's memory: working set, managed heap, and what the GC sees as available to the process.</summary>
[GenerateSerializer, Immutable, Alias("fleet.HostMemory")]
public sealed record HostMemory(
    [property: Id(0)] long WorkingSetBytes,
    [property: Id(1)] long ManagedHeapBytes,
    [property: Id(2)] long AvailableBytes);

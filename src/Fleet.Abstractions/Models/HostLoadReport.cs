namespace Fleet.Abstractions.Models;

/// <summary>How one silo's load of a version went, reported to the model grain so any silo can show it.</summary>
[GenerateSerializer, Immutable, Alias("fleet.HostLoadReport")]
public sealed record HostLoadReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Version,
    [property: Id(2)] LoadState State,
    [property: Id(3)] string? Provider,
    [property: Id(4)] string? Error,
    [property: Id(5)] DateTimeOffset Time);

[GenerateSerializer, Alias("fleet.LoadState")]
public enum LoadState
{
    Loading = 0,
    Loaded = 1,
    Failed = 2,
}

namespace Fleet.Statistics;

/// <summary>One slot of <see cref="StatsWindowsState"/>: its key (minutes or hours since 0001-01-01 UTC) and merged data.</summary>
[GenerateSerializer, Immutable, Alias("fleet.StatsWindowSlot")]
public sealed record StatsWindowSlot(
    [property: Id(0)] long Key,
    [property: Id(1)] StatsSnapshot Snapshot);

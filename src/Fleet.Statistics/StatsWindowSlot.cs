namespace Fleet.Statistics;

/// <summary>One slot of <see cref="StatsWindowsState"/>: its key (minutes or hours since 0001-01-01 UTC) and merged data.</summary>
public sealed record StatsWindowSlot(
    long Key,
    StatsSnapshot Snapshot);

namespace Fleet.Statistics;

/// <summary>
/// The persistable form of <see cref="StatsWindows"/> (grain state): the slots in use, oldest first.
/// Minute slot keys are whole minutes since 0001-01-01 UTC, hour slot keys whole hours.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.StatsWindowsState")]
public sealed record StatsWindowsState(
    [property: Id(0)] long LatestMinute,
    [property: Id(1)] StatsWindowSlot[] Minutes,
    [property: Id(2)] StatsWindowSlot[] Hours,
    [property: Id(3)] long DroppedSnapshots);

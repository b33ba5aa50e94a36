namespace Fleet.Statistics;

/// <summary>
/// The persistable form of <see cref="StatsWindows"/> (grain state): the slots in use, oldest first.
/// Minute slot keys are whole minutes since 0001-01-01 UTC, hour slot keys whole hours.
/// </summary>
public sealed record StatsWindowsState(
    long LatestMinute,
    StatsWindowSlot[] Minutes,
    StatsWindowSlot[] Hours,
    long DroppedSnapshots);

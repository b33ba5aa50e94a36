using Fleet.Statistics;

namespace Fleet.Grains.Statistics;

/// <summary>The current minute, merged from every flush; persisted on each flush so a silo loss costs at most one flush.</summary>
[GenerateSerializer, Alias("fleet.OpenMinuteState")]
public sealed class OpenMinuteState
{
    [Id(0)] public StatsSnapshot? Snapshot { get; set; }
}

/// <summary>Closed minutes and hours; persisted when a minute closes (not on every flush: it is the large part).</summary>
[GenerateSerializer, Alias("fleet.StatsHistoryState")]
public sealed class StatsHistoryState
{
    [Id(0)] public StatsWindowsState? Windows { get; set; }
}

using Fleet.Models;
using Fleet.Statistics;

namespace Fleet.Grains.Statistics;

/// <summary>
/// Merges the per-silo statistics of one version. The open minute is written to storage on every flush
/// (small); closed slots only when a minute closes. Queries see both.
/// </summary>
internal sealed class VersionStatsGrain(
    [PersistentState("stats-open", FleetStorage.Name)] IPersistentState<OpenMinuteState> open,
    [PersistentState("stats-history", FleetStorage.Name)] IPersistentState<StatsHistoryState> history,
    TimeProvider time) : Grain, IVersionStatsGrain
{
    private StatsWindows? _windows;

    private StatsWindows Windows => _windows ??= history.State.Windows is { } state ? StatsWindows.FromState(state) : new StatsWindows();

    public async Task Flush(StatsSnapshot snapshot)
    {
        var current = open.State.Snapshot;
        if (current is null || MinuteOf(snapshot.End) == MinuteOf(current.End))
        {
            open.State.Snapshot = current is null ? snapshot : StatsSnapshot.Merge(current, snapshot);
        }
        else if (MinuteOf(snapshot.End) < MinuteOf(current.End))
        {
            // A late flush for a minute already closed: straight into history.
            Windows.Add(snapshot);
            await SaveHistory();
        }
        else
        {
            Windows.Add(current);
            await SaveHistory();
            open.State.Snapshot = snapshot;
        }

        await open.WriteStateAsync();
    }

    public Task<StatsSnapshot> Query(TimeSpan window)
    {
        var now = time.GetUtcNow();
        var closed = Windows.Query(window, now);
        var current = open.State.Snapshot;
        return Task.FromResult(current is not null && current.End > now - window ? StatsSnapshot.Merge(closed, current) : closed);
    }

    private Task SaveHistory()
    {
        history.State.Windows = Windows.ToState();
        return history.WriteStateAsync();
    }

    private static long MinuteOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMinute;
}

using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
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

    // In memory only: ids to trace, not statistics; after the grain moves, the next failures refill them.
    private RequestSample[] _samples = [];

    private StatsWindows Windows => _windows ??= history.State.Windows is { } state ? StatsWindows.FromState(state) : new StatsWindows();

    public async Task Flush(StatsSnapshot snapshot)
    {
        var current = open.State.Snapshot;
        if (current is null || MinuteOf(snapshot.End) == MinuteOf(current.End))
        {
            await WriteOpen(current is null ? snapshot : StatsSnapshot.Merge(current, snapshot), current);
            return;
        }

        // A late flush for a closed minute goes straight into history; a new minute closes the open one.
        var late = MinuteOf(snapshot.End) < MinuteOf(current.End);
        var history = _windows is null ? null : Windows.ToState();
        Windows.Add(late ? snapshot : current);
        try
        {
            await SaveHistory();
        }
        catch
        {
            // Not stored: forget it here too, so the silo's retry of the same snapshot is not counted twice.
            _windows = history is null ? null : StatsWindows.FromState(history);
            ReloadOnNextCall();
            throw;
        }

        if (!late)
        {
            // The closed minute is in history now; if this write fails the open minute starts empty on retry.
            await WriteOpen(snapshot, previous: null);
        }
    }

    private async Task WriteOpen(StatsSnapshot next, StatsSnapshot? previous)
    {
        open.State.Snapshot = next;
        try
        {
            await open.WriteStateAsync();
        }
        catch
        {
            open.State.Snapshot = previous;
            ReloadOnNextCall();
            throw;
        }
    }

    public Task AddSamples(RequestSample[] samples)
    {
        _samples = RequestSamples.Newest(_samples.Concat(samples));
        return Task.CompletedTask;
    }

    public Task<RequestSample[]> GetSamples(TimeSpan window)
    {
        var from = time.GetUtcNow() - window;
        return Task.FromResult(_samples.Where(s => s.At >= from).ToArray());
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

    /// <summary>
    /// A failed write may have been stored after all (a timeout) or lost to an activation that raced this one: either
    /// way this activation's ETag can be stale, and every later write would fail. The silo keeps the snapshot and
    /// retries; the next call finds a fresh activation that reads the stored state.
    /// </summary>
    private void ReloadOnNextCall() => DeactivateOnIdle();

    private static long MinuteOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMinute;
}

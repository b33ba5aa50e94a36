using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Hosts;

/// <summary>
/// One host's record (key: the silo name). Every probe cycle the host reports here; the report is persisted, so a
/// host that died still shows its last status (as gone), and passed on to the coordinator. Commands the coordinator
/// queues wait here until the host reports them done, so none is lost if the host or this grain moves. Placed on
/// the silo that first calls it (the host itself): a host's reports must not depend on a third silo, or a frozen one
/// would make healthy hosts look stale.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
internal sealed partial class HostGrain(
    [PersistentState("host", FleetStorage.Name)] IPersistentState<HostState> state,
    ILogger<HostGrain> logger) : Grain, IHostGrain
{
    public const int MaxCommands = 100;

    public async Task<HostCommand[]> Report(HostReport report)
    {
        var s = state.State;
        if (s.Last is null || s.Last.Status != report.Status || s.Last.StartedAt != report.StartedAt)
        {
            s.StatusSince = report.At;
            if (s.Last is not null && s.Last.Status != report.Status)
            {
                LogTransition(report.Id, s.Last.Status, report.Status, string.Join("; ", report.Reasons));
            }
        }

        foreach (var done in report.CommandResults)
        {
            if (s.Pending.RemoveAll(c => c.Id == done.Id) > 0 || s.Commands.All(c => c.Id != done.Id))
            {
                s.Commands.Add(done);
            }
        }

        Trim(s.Commands, MaxCommands);
        s.History.AddRange(report.Results);
        Trim(s.History, Math.Max(1, report.History));
        s.Last = report with { Results = [] };
        await state.WriteStateAsync();

        // One-way: the coordinator may be calling this grain (Enqueue) while it evaluates; waiting on it here could deadlock.
        await GrainFactory.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).ReportHost(report);
        return [.. s.Pending];
    }

    public Task<HostView?> GetView() => Task.FromResult(state.State.Last is { } last
        ? new HostView(last, state.State.StatusSince, [.. state.State.History], [.. state.State.Pending], [.. state.State.Commands])
        : null);

    public async Task<bool> Enqueue(HostCommand command)
    {
        if (state.State.Pending.Any(c => c.Id == command.Id) || state.State.Commands.Any(c => c.Id == command.Id))
        {
            return false;
        }

        state.State.Pending.Add(command);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Pending.Remove(command);
            throw;
        }

        LogQueued(this.GetPrimaryKeyString(), command.Kind, command.Model, command.Version, command.Id);
        return true;
    }

    private static void Trim<T>(List<T> list, int max)
    {
        if (list.Count > max)
        {
            list.RemoveRange(0, list.Count - max);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host {Host}: {From} -> {To} ({Reasons})")]
    private partial void LogTransition(string host, HostStatus from, HostStatus to, string reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host {Host}: queued {Kind} of {Model} version {Version} (decision {Id})")]
    private partial void LogQueued(string host, string kind, string model, string version, string id);
}

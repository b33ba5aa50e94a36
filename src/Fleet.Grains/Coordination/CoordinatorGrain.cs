using Fleet.Coordination;
using Microsoft.Extensions.Logging;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The cluster's coordinator. For now it records the typed signals the detectors send (persisted, bounded),
/// the evidence that rollback and failover decisions will be made on.
/// </summary>
internal sealed partial class CoordinatorGrain(
    [PersistentState("coordinator", FleetStorage.Name)] IPersistentState<CoordinatorState> state,
    ILogger<CoordinatorGrain> logger) : Grain, ICoordinatorGrain
{
    public const int MaxSignals = 1000;

    public async Task Signal(FleetSignal signal)
    {
        state.State.Signals.Add(signal);
        if (state.State.Signals.Count > MaxSignals)
        {
            state.State.Signals.RemoveRange(0, state.State.Signals.Count - MaxSignals);
        }

        await state.WriteStateAsync();
        LogSignal(signal.Kind, signal.Model, signal.Version, signal.Reason);
    }

    public Task<FleetSignal[]> GetSignals(string? model, int limit) => Task.FromResult(state.State.Signals
        .AsEnumerable().Reverse()
        .Where(s => model is null || s.Model == model)
        .Take(Math.Clamp(limit, 0, MaxSignals))
        .ToArray());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal {Kind} for model {Model} version {Version}: {Reason}")]
    private partial void LogSignal(string kind, string model, string? version, string reason);
}

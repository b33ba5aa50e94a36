using Fleet.Coordination;

namespace Fleet.Grains.Coordination;

[GenerateSerializer, Alias("fleet.CoordinatorState")]
public sealed class CoordinatorState
{
    /// <summary>Oldest first, at most <see cref="CoordinatorGrain.MaxSignals"/>.</summary>
    [Id(0)] public List<FleetSignal> Signals { get; set; } = [];
}

using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Coordination;

[GenerateSerializer, Alias("fleet.CoordinatorState")]
public sealed class CoordinatorState
{
    /// <summary>Oldest first, at most <see cref="CoordinatorGrain.MaxSignals"/>.</summary>
    [Id(0)] public List<FleetSignal> Signals { get; set; } = [];

    /// <summary>Oldest first, at most <see cref="CoordinatorGrain.MaxDecisions"/>; pending ones are finished on activation.</summary>
    [Id(1)] public List<Decision> Decisions { get; set; } = [];

    /// <summary>Numbers decision ids (d000001, ...).</summary>
    [Id(2)] public long DecisionCount { get; set; }

    /// <summary>Every host heard from, with when (as of the last write), until forgotten.</summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> Hosts { get; set; } = [];

    /// <summary>Numbers signal ids (s000001, ...).</summary>
    [Id(4)] public long SignalCount { get; set; }

    /// <summary>Serving-statistics conditions signalled and not yet cleared (<see cref="Alerting.ServingWatch"/>), with when raised.</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> ServingAlarms { get; set; } = [];

    /// <summary>Hosts signalled unhealthy and not yet recovered (<see cref="HostSignals"/>), with when.</summary>
    [Id(6)] public Dictionary<string, DateTimeOffset> UnhealthyHosts { get; set; } = [];
}

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// A typed event for the coordinator: what happened (<see cref="Kind"/>: drift, drift_cleared, quality_drop,
/// estimated_quality_drop, retrain_requested, ...), to which model version, a sentence and the numbers.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FleetSignal")]
public sealed record FleetSignal(
    [property: Id(0)] SignalKind Kind,
    [property: Id(1)] string Model,
    [property: Id(2)] string? Version,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Reason,
    [property: Id(5)] Dictionary<string, double> Evidence);

namespace Fleet.Coordination;

/// <summary>
/// The cluster's one coordinator (key <see cref="Key"/>). It receives typed signals from the detectors and
/// keeps them, persisted, as the evidence later decisions (rollback, failover) are made on.
/// </summary>
[Alias("fleet.ICoordinatorGrain")]
public interface ICoordinatorGrain : IGrainWithStringKey
{
    public const string Key = "coordinator";

    [Alias("Signal")]
    Task Signal(FleetSignal signal);

    /// <summary>Newest first; <paramref name="model"/> null for all models.</summary>
    [Alias("GetSignals")]
    Task<FleetSignal[]> GetSignals(string? model, int limit);
}

using Orleans.Concurrency;

namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// Drift, quality and retraining for one model (key: the model name). Silos send sampled rows about once a
/// second (<see cref="Ingest"/>); detectors run on a grain timer (period <see cref="MonitorSettings.DriftInterval"/>),
/// never on the request path, and each run is kept as a time series.
/// </summary>
[Alias("fleet.IModelMonitorGrain")]
public interface IModelMonitorGrain : IGrainWithStringKey
{
    /// <summary>The model's settings changed (config PATCH): window size and timer period follow at once.</summary>
    [Alias("ApplySettings")]
    Task ApplySettings(MonitorSettings settings);

    [Alias("Ingest")]
    Task Ingest(VersionRows[] batches);

    /// <summary>Sets (replaces) a version's reference profile.</summary>
    [Alias("SetReference")]
    Task SetReference(ReferenceProfile profile);

    [Alias("AddLabels")]
    Task AddLabels(LabeledPrediction[] labels, int unknown);

    /// <summary>A version's joined labels predicted since <paramref name="since"/> (for export).</summary>
    [Alias("GetLabels")]
    Task<LabeledPrediction[]> GetLabels(string version, DateTimeOffset since);

    /// <summary>Runs every detector now (the timer calls the same); returns the runs it recorded.</summary>
    [Alias("RunDetectors")]
    Task<DriftRun[]> RunDetectors();

    /// <summary>
    /// The fleet false-alarm budget's per-look level (the coordinator pushes it when it changes; null: the budget is off):
    /// the drift, multivariate and quality detectors run no looser than it. Persisted with the monitor's state. One-way:
    /// the coordinator never waits on a monitor, which may be calling it with a signal.
    /// </summary>
    [OneWay, Alias("SetAlarmLevel")]
    Task SetAlarmLevel(double? perLook);

    [Alias("GetDrift")]
    Task<DriftHistory> GetDrift(string version, int history);

    [Alias("GetQuality")]
    Task<QualityReport> GetQuality(string version, TimeSpan window);

    [Alias("GetRetrainRequests")]
    Task<RetrainRequest[]> GetRetrainRequests();

    /// <summary>Records how a request's delivery went (deliveries run in the background, never inside a grain turn).</summary>
    [Alias("RecordDeliveries")]
    Task RecordDeliveries(string id, RetrainDelivery[] deliveries);

    /// <summary>Acknowledges the open request (the retraining job took it); a later trigger opens a new one.</summary>
    [Alias("AckRetrain")]
    Task<RetrainRequest> AckRetrain(string? id, string actor, string? note);
}

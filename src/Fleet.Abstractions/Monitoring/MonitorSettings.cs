using Fleet.Drift;

namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// Per-model drift, quality and retraining settings (<c>fleet config set MODEL drift_interval=5s ...</c>).
/// Defaults are documented in docs/drift.md; each is chosen to be at least as conservative as Evidently's and
/// Alibi Detect's while adding the effect-size gate and the insufficient-data verdict.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.MonitorSettings")]
public sealed record MonitorSettings(
    [property: Id(0)] TimeSpan DriftInterval,
    [property: Id(1)] int DriftWindow,
    [property: Id(2)] int DriftMinSamples,
    [property: Id(3)] double DriftAlpha,
    [property: Id(4)] PValueCorrection DriftCorrection,
    [property: Id(5)] double DriftEffect,
    [property: Id(6)] int DriftErt,
    [property: Id(7)] int ReferenceRows,
    [property: Id(8)] TimeSpan QualityWindow,
    [property: Id(9)] int QualityMinLabels,
    [property: Id(10)] double QualityTolerance,
    [property: Id(11)] RetrainTrigger[] RetrainOn,
    [property: Id(12)] TimeSpan? RetrainMaxAge,
    [property: Id(13)] string? RetrainWebhook)
{
    public static MonitorSettings Default { get; } = new(
        DriftInterval: TimeSpan.FromSeconds(30),
        DriftWindow: 1000,
        DriftMinSamples: 100,
        DriftAlpha: 0.05,
        DriftCorrection: PValueCorrection.BenjaminiHochberg,
        DriftEffect: 0.1,
        DriftErt: 2000,
        ReferenceRows: 1000,
        QualityWindow: TimeSpan.FromHours(24),
        QualityMinLabels: 50,
        QualityTolerance: 0.05,
        RetrainOn: [RetrainTrigger.Drift, RetrainTrigger.Quality, RetrainTrigger.EstimatedQuality, RetrainTrigger.Staleness],
        RetrainMaxAge: null,
        RetrainWebhook: null);

    /// <summary>
    /// Lowest acceptable live accuracy of a classifier (<c>quality_floor</c>, off by default): a version whose
    /// accuracy on labels is below it beyond the 99.9% bound is a quality drop, with or without a labelled reference.
    /// </summary>
    [Id(14)] public double? QualityFloor { get; init; }

    /// <summary>Highest acceptable live MAE of a regressor (<c>quality_max_mae</c>, off by default), judged the same way.</summary>
    [Id(15)] public double? QualityMaxMae { get; init; }
}

/// <summary>What may open a retraining request.</summary>
[GenerateSerializer, Alias("fleet.RetrainTrigger")]
public enum RetrainTrigger
{
    Drift = 0,
    Quality = 1,
    EstimatedQuality = 2,
    Staleness = 3,
}

namespace Fleet.Abstractions.Models;

/// <summary>
/// How a model's requests are guarded (settable with <c>fleet config set</c>). <see cref="Replicas"/>: how many hosts
/// serve it (<c>replicas=N</c>; null: the cluster's <c>Fleet:Coordinator:ReplicationFactor</c>). <see cref="Alerting"/>: its
/// alert rule overrides (<c>alert.for=10s</c>). Pushed to every silo with
/// the route, so the hot path never asks for it.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelConfig")]
public sealed record ModelConfig(
    [property: Id(0)] EnforcementMode InputContract,
    [property: Id(1)] EnforcementMode InputMissing,
    [property: Id(2)] double OutlierThreshold,
    [property: Id(3)] FallbackStep[] Fallback,
    [property: Id(4)] string? FallbackDefault,
    [property: Id(5)] Fleet.Abstractions.Monitoring.MonitorSettings? Monitoring = null,
    [property: Id(6)] int? Replicas = null,
    [property: Id(7)] Fleet.Abstractions.Alerting.AlertSettings? Alerting = null)
{
    /// <summary>The model's alert rule overrides (<c>alert.for</c>, <c>alert.keep_firing_for</c>); configs stored before they existed read as none.</summary>
    public Fleet.Abstractions.Alerting.AlertSettings AlertingOrDefault => Alerting ?? Fleet.Abstractions.Alerting.AlertSettings.Default;

    /// <summary>Drift, quality and retraining settings; configs stored before they existed read as the defaults.</summary>
    public Fleet.Abstractions.Monitoring.MonitorSettings MonitoringOrDefault => Monitoring ?? Fleet.Abstractions.Monitoring.MonitorSettings.Default;

    /// <summary>Range/category rules flag, missing values reject, outliers above 6 robust units, fallback LKG → default → 503.</summary>
    public static ModelConfig Default { get; } = new(
        EnforcementMode.Flag, EnforcementMode.Reject, 6.0,
        [FallbackStep.LastKnownGood, FallbackStep.Default, FallbackStep.Error], null);
}

[GenerateSerializer, Alias("fleet.EnforcementMode")]
public enum EnforcementMode
{
    Reject = 0,
    Flag = 1,
    Off = 2,

    /// <summary>Missing values only (<c>input_missing</c>): replaced by the feature's reference median, counted as <c>imputed</c>.</summary>
    Impute = 3,
}

[GenerateSerializer, Alias("fleet.FallbackStep")]
public enum FallbackStep
{
    LastKnownGood = 0,
    Default = 1,
    Error = 2,
}

using System.Text.Json.Serialization;
using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Coordination;

/// <summary>What a <see cref="FleetSignal"/> says happened; stored and sent in snake_case (<see cref="SignalKindCodec"/>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SignalKind>))]
public enum SignalKind
{
    /// <summary>A version's inputs or outputs drifted (confirmed).</summary>
    Drift,

    /// <summary>A drifted version is back to no drift.</summary>
    DriftCleared,

    /// <summary>Labelled accuracy (or error) is clearly worse than the reference's.</summary>
    QualityDrop,

    /// <summary>The label-free estimate (CBPE) is clearly worse than the reference's.</summary>
    EstimatedQualityDrop,

    /// <summary>A retraining request was opened.</summary>
    RetrainRequested,

    /// <summary>A host's probes of a version started failing.</summary>
    ProbeFailed,

    /// <summary>A host's probes of a version pass again.</summary>
    ProbeRecovered,

    /// <summary>The coordinator completed a decision (<see cref="FleetSignal.Subject"/> is its action: rollback, failover, ...).</summary>
    Decision,

    /// <summary>
    /// Part of Fleet's own monitoring path is failing (<see cref="FleetSignal.Subject"/> names it: an alert sink that keeps
    /// failing, the alert outbox dropping notifications); model <see cref="FleetSignal.FleetModel"/>.
    /// </summary>
    MonitorUnhealthy,

    /// <summary>That part works again.</summary>
    MonitorRecovered,

    /// <summary>A confirmed share of a version's answers broke its output contract (NaN, probabilities out of range, ...).</summary>
    OutputViolationRate,

    /// <summary>That share is back under its threshold (or the version is no longer live).</summary>
    OutputViolationRateCleared,

    /// <summary>A confirmed share of a version's answers came from the fallback chain (any step, client-visible errors included).</summary>
    FallbackRate,

    /// <summary>That share is back under its threshold (or the version is no longer live).</summary>
    FallbackRateCleared,

    /// <summary>A confirmed share of a version's requests failed at run time through the version's own fault.</summary>
    ModelErrorRate,

    /// <summary>That share is back under its threshold (or the version is no longer live).</summary>
    ModelErrorRateCleared,

    /// <summary>A confirmed share above 1% of a version's requests is slower than its latency threshold (its p99 passed it).</summary>
    LatencyRegression,

    /// <summary>Its p99 is back under the threshold (or the version is no longer live).</summary>
    LatencyRegressionCleared,

    /// <summary>A host is dead, gone or shutting down by membership, or its probe reports stopped coming; model <see cref="FleetSignal.FleetModel"/>.</summary>
    HostUnhealthy,

    /// <summary>The host reports again, or left the cluster's host list.</summary>
    HostRecovered,
}

public static class SignalKinds
{
    /// <summary>
    /// What a kind is worth when its signal does not say: confirmed drift, a labelled quality drop and failing probes
    /// are critical (each is already confirmed by its detector), and so is Fleet's own monitoring failing (alarms may not be reaching anyone),
    /// a confirmed rate of broken answers (contract violations, run-time errors) and an unhealthy host; a label-free estimate, a fallback
    /// rate (it includes answers a working fallback saved) and a latency regression are warnings; the rest inform.
    /// A decision's severity is set from its action (<c>DecisionSignals</c>).
    /// </summary>
    public static Severity DefaultSeverity(this SignalKind kind) => kind switch
    {
        SignalKind.Drift or SignalKind.QualityDrop or SignalKind.ProbeFailed or SignalKind.MonitorUnhealthy => Severity.Critical,
        SignalKind.OutputViolationRate or SignalKind.ModelErrorRate or SignalKind.HostUnhealthy => Severity.Critical,
        SignalKind.EstimatedQualityDrop or SignalKind.FallbackRate or SignalKind.LatencyRegression => Severity.Warning,
        _ => Severity.Info,
    };

    /// <summary>The kind that ends the condition this kind starts (drift and drift_cleared), or null for one-off events.</summary>
    public static SignalKind? ClearedBy(this SignalKind kind) => kind switch
    {
        SignalKind.Drift => SignalKind.DriftCleared,
        SignalKind.ProbeFailed => SignalKind.ProbeRecovered,
        SignalKind.MonitorUnhealthy => SignalKind.MonitorRecovered,
        SignalKind.OutputViolationRate => SignalKind.OutputViolationRateCleared,
        SignalKind.FallbackRate => SignalKind.FallbackRateCleared,
        SignalKind.ModelErrorRate => SignalKind.ModelErrorRateCleared,
        SignalKind.LatencyRegression => SignalKind.LatencyRegressionCleared,
        SignalKind.HostUnhealthy => SignalKind.HostRecovered,
        _ => null,
    };

    /// <summary>True for the kinds that only end a condition (they fire nothing themselves).</summary>
    public static bool IsClearing(this SignalKind kind) => kind is SignalKind.DriftCleared or SignalKind.ProbeRecovered or SignalKind.MonitorRecovered
        or SignalKind.OutputViolationRateCleared or SignalKind.FallbackRateCleared or SignalKind.ModelErrorRateCleared or SignalKind.LatencyRegressionCleared
        or SignalKind.HostRecovered;

    /// <summary>The word for reasons and logs, as JSON and storage spell it.</summary>
    public static string ToWire(this SignalKind kind) => kind switch
    {
        SignalKind.Drift => "drift",
        SignalKind.DriftCleared => "drift_cleared",
        SignalKind.QualityDrop => "quality_drop",
        SignalKind.EstimatedQualityDrop => "estimated_quality_drop",
        SignalKind.RetrainRequested => "retrain_requested",
        SignalKind.ProbeFailed => "probe_failed",
        SignalKind.ProbeRecovered => "probe_recovered",
        SignalKind.Decision => "decision",
        SignalKind.MonitorUnhealthy => "monitor_unhealthy",
        SignalKind.MonitorRecovered => "monitor_recovered",
        SignalKind.OutputViolationRate => "output_violation_rate",
        SignalKind.OutputViolationRateCleared => "output_violation_rate_cleared",
        SignalKind.FallbackRate => "fallback_rate",
        SignalKind.FallbackRateCleared => "fallback_rate_cleared",
        SignalKind.ModelErrorRate => "model_error_rate",
        SignalKind.ModelErrorRateCleared => "model_error_rate_cleared",
        SignalKind.LatencyRegression => "latency_regression",
        SignalKind.LatencyRegressionCleared => "latency_regression_cleared",
        SignalKind.HostUnhealthy => "host_unhealthy",
        SignalKind.HostRecovered => "host_recovered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

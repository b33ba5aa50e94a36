using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Alerting;

/// <summary>
/// One alerting rule over the signal stream. Its condition holds for a model version (and host or action, where the
/// signal names one) from a signal of <see cref="Kind"/> until a signal of the kind that clears it
/// (<see cref="SignalKinds.ClearedBy"/>), or, for one-off kinds, for <see cref="Hold"/> after the newest such signal.
/// <see cref="For"/> and <see cref="KeepFiringFor"/> have Prometheus's meaning.
/// </summary>
public sealed record AlertRule(
    string Name,
    SignalKind Kind,
    TimeSpan For,
    TimeSpan KeepFiringFor,
    TimeSpan? Hold,
    string Summary)
{
    /// <summary>The documented page for the rule (docs/alerts.md, one heading per rule).</summary>
    public string RunbookUrl => $"docs/alerts.md#{Name.ToLowerInvariant()}";
}

/// <summary>One inhibition: a firing <paramref name="Source"/> alert mutes <paramref name="Targets"/> alerts that share its <paramref name="Equal"/> labels.</summary>
public sealed record InhibitRule(string Source, string[] Targets, string[] Equal);

/// <summary>
/// The built-in rules, one per signal kind that starts a condition (the clearing kinds fire nothing). Signals of
/// severity <c>info</c> (a retraining request, a replica placement) stay in the stream and on incident timelines and
/// fire no alert. Defaults:
/// <c>for</c> 0 s (every detector already confirms before it signals: drift on consecutive checks, probes on
/// consecutive failures, quality on a confidence bound), <c>keep_firing_for</c> 0 s, and one-off events held for
/// 15 minutes. A model overrides <c>for</c> with <c>fleet config set MODEL alert.for=10s</c>.
/// </summary>
public static class AlertRules
{
    // Static fields before the lists that read them (initialised in order).
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(15);

    /// <summary>A host must stay unhealthy this long before it pages: a rolling restart takes a silo away for less.</summary>
    public static readonly TimeSpan HostFor = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<AlertRule> BuiltIn { get; } =
    [
        new("FleetModelDrift", SignalKind.Drift, TimeSpan.Zero, TimeSpan.Zero, null, "inputs or outputs of {model} {version} drifted from the reference"),
        new("FleetQualityDrop", SignalKind.QualityDrop, TimeSpan.Zero, TimeSpan.Zero, DefaultHold, "labelled quality of {model} {version} dropped below the reference's"),
        new("FleetEstimatedQualityDrop", SignalKind.EstimatedQualityDrop, TimeSpan.Zero, TimeSpan.Zero, DefaultHold, "estimated quality (CBPE) of {model} {version} dropped below the reference's"),
        new("FleetProbeFailed", SignalKind.ProbeFailed, TimeSpan.Zero, TimeSpan.Zero, null, "probes of {model} {version} fail on host {host}"),
        new("FleetDecision", SignalKind.Decision, TimeSpan.Zero, TimeSpan.Zero, DefaultHold, "the coordinator decided {action} for {model} {version}"),
        new("FleetMonitorUnhealthy", SignalKind.MonitorUnhealthy, TimeSpan.Zero, TimeSpan.Zero, null, "Fleet's own monitoring is failing: {action}"),
        new("FleetOutputViolationRate", SignalKind.OutputViolationRate, TimeSpan.Zero, TimeSpan.Zero, null, "answers of {model} {version} break the output contract"),
        new("FleetModelErrorRate", SignalKind.ModelErrorRate, TimeSpan.Zero, TimeSpan.Zero, null, "{model} {version} fails at run time"),
        new("FleetFallbackRate", SignalKind.FallbackRate, TimeSpan.Zero, TimeSpan.Zero, null, "the fallback chain answers for {model} {version}"),
        new("FleetLatencyRegression", SignalKind.LatencyRegression, TimeSpan.Zero, TimeSpan.Zero, null, "p99 latency of {model} {version} regressed"),
        new("FleetHostUnhealthy", SignalKind.HostUnhealthy, HostFor, TimeSpan.Zero, null, "host {host} is down or not reporting"),
    ];

    /// <summary>
    /// Alertmanager-style inhibitions: while a <see cref="InhibitRule.Source"/> alert fires, target alerts with the same
    /// <see cref="InhibitRule.Equal"/> labels are listed as inhibited and not sent (the dead host's alert says it all).
    /// </summary>
    public static IReadOnlyList<InhibitRule> Inhibitions { get; } =
    [
        new("FleetHostUnhealthy", ["FleetProbeFailed", "FleetLatencyRegression"], [Fleet.Abstractions.Alerting.AlertLabels.Host]),
    ];

    public static AlertRule? For(SignalKind kind, IReadOnlyList<AlertRule> rules) => rules.FirstOrDefault(r => r.Kind == kind);

    /// <summary>The rule that a clearing signal ends (drift_cleared ends FleetModelDrift), or null.</summary>
    public static AlertRule? ClearedBy(SignalKind clearing, IReadOnlyList<AlertRule> rules) =>
        rules.FirstOrDefault(r => r.Kind.ClearedBy() == clearing);
}

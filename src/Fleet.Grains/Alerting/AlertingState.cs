using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Alerting;

/// <summary>Everything the alerting grain keeps (persisted): alerts by fingerprint, silences, incidents, the outbox and its counters.</summary>
[GenerateSerializer, Alias("fleet.AlertingState")]
public sealed class AlertingState
{
    [Id(0)] public Dictionary<string, Alert> Alerts { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public List<Silence> Silences { get; set; } = [];

    /// <summary>Oldest first, at most <see cref="AlertingOptions.MaxIncidents"/>.</summary>
    [Id(2)] public List<Incident> Incidents { get; set; } = [];

    /// <summary>Webhook notifications not yet delivered, oldest first, at most <see cref="AlertingOptions.MaxOutbox"/>.</summary>
    [Id(3)] public List<AlertNotification> Outbox { get; set; } = [];

    [Id(4)] public long NotificationCount { get; set; }

    [Id(5)] public long SilenceCount { get; set; }

    [Id(6)] public long IncidentCount { get; set; }

    [Id(7)] public long Delivered { get; set; }

    [Id(8)] public long Failed { get; set; }

    /// <summary>Notifications dropped because the outbox was full (the oldest go first).</summary>
    [Id(9)] public long Dropped { get; set; }

    /// <summary>When the alerts were last posted to Alertmanager (re-sent every <see cref="AlertingOptions.ResendInterval"/> while firing).</summary>
    [Id(10)] public DateTimeOffset? AlertmanagerSentAt { get; set; }

    /// <summary>An alert changed since the last successful post to Alertmanager.</summary>
    [Id(11)] public bool AlertmanagerDue { get; set; }

    [Id(12)] public DateTimeOffset? LastEvaluatedAt { get; set; }

    /// <summary>The newest signals (at most <see cref="AlertingOptions.MaxRecentSignals"/>): an incident's first evidence is found here.</summary>
    [Id(13)] public List<FleetSignal> Recent { get; set; } = [];

    /// <summary>Each model's rule overrides, as last read from its config (on each of its signals, and each tick while one of its alerts is pending).</summary>
    [Id(14)] public Dictionary<string, AlertSettings> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Failed deliveries in a row, per sink (<see cref="SinkHealth"/>).</summary>
    [Id(15)] public Dictionary<string, int> SinkFailures { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The sinks (and the outbox) that raised <c>monitor_unhealthy</c> and have not recovered.</summary>
    [Id(16)] public HashSet<string> UnhealthySinks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The newest clearing signal's time per condition (<see cref="AlertBook"/>): signals are judged by when they were
    /// raised, not when they arrived, so a clear that overtakes the signal it ends keeps that signal from firing.
    /// </summary>
    [Id(17)] public Dictionary<string, DateTimeOffset> Clears { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One webhook delivery: the alerts of one model at one change (grouped: one notification for everything that fired
/// together), kept until the sink answers 2xx. <see cref="Id"/> is the idempotency key a receiver deduplicates on.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.AlertNotification")]
public sealed record AlertNotification(
    [property: Id(0)] string Id,
    [property: Id(1)] string Sink,
    [property: Id(2)] string Model,
    [property: Id(3)] AlertState Status,
    [property: Id(4)] Alert[] Alerts,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset NextAttemptAt,
    [property: Id(8)] string? LastError);

/// <summary>An alert's state change, for notifications and incident timelines.</summary>
public sealed record AlertTransition(Alert Alert, AlertState From, AlertState To);

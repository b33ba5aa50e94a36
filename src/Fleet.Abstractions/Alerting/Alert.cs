namespace Fleet.Abstractions.Alerting;

/// <summary>
/// One alert: a rule (label <c>alertname</c>) applied to one model version (and host, or decision action, where the
/// signal names one). Identified by the <see cref="Fingerprint"/> of its labels, so the same condition is one alert
/// however many signals feed it. <see cref="StartsAt"/> is when the condition began to hold (Prometheus's
/// <c>activeAt</c>), <see cref="FiredAt"/> when it fired, <see cref="EndsAt"/> when it resolved.
/// <see cref="SignalIds"/> are the newest signals that fed it (at most <see cref="MaxSignalIds"/>). <see cref="InhibitedBy"/>
/// is the fingerprint of the firing alert that inhibits it (a dead host's alert inhibits the probe alerts on that host).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.Alert")]
public sealed record Alert(
    [property: Id(0)] string Fingerprint,
    [property: Id(1)] AlertState State,
    [property: Id(2)] Severity Severity,
    [property: Id(3)] Dictionary<string, string> Labels,
    [property: Id(4)] Dictionary<string, string> Annotations,
    [property: Id(5)] DateTimeOffset StartsAt,
    [property: Id(6)] DateTimeOffset? FiredAt,
    [property: Id(7)] DateTimeOffset? EndsAt,
    [property: Id(8)] DateTimeOffset LastSignalAt,
    [property: Id(9)] DateTimeOffset? ClearedAt,
    [property: Id(10)] double? Value,
    [property: Id(11)] string[] SignalIds,
    [property: Id(12)] bool Silenced,
    [property: Id(13)] string? InhibitedBy = null)
{
    /// <summary>Neither silenced nor inhibited: its changes are sent to the sinks.</summary>
    public bool Notifies => !Silenced && InhibitedBy is null;

    public const int MaxSignalIds = 20;

    public string Name => Labels.GetValueOrDefault(AlertLabels.AlertName, "");

    public string Model => Labels.GetValueOrDefault(AlertLabels.Model, "");
}

/// <summary>The label names every alert carries (and the optional ones), as Alertmanager and Prometheus users know them.</summary>
public static class AlertLabels
{
    public const string AlertName = "alertname";
    public const string Model = "model";
    public const string Version = "version";
    public const string Severity = "severity";
    public const string Host = "host";
    public const string Action = "action";
    public const string Component = "component";
    public const string Kind = "kind";
    public const string Summary = "summary";
    public const string Description = "description";
    public const string RunbookUrl = "runbook_url";
}

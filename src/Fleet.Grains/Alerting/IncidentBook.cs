using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Incidents (pure). A critical alert that fires unsilenced, or a coordinator decision to roll back, fail over or
/// degrade, opens an incident for its model or joins the open one; while one is open, every signal, alert change,
/// decision and human action of that model goes on its timeline. A completed rollback, failover or reload (or, for a
/// drift incident, the retraining request) marks it mitigated; a person resolves it.
/// </summary>
public static class IncidentBook
{
    public const string FleetActor = "fleet";

    /// <summary>How far back an incident's first evidence is looked for among the recent signals.</summary>
    public static readonly TimeSpan EvidenceLookback = TimeSpan.FromHours(1);

    private static readonly string[] Opening = ["rollback", "failover", "degraded"];
    private static readonly string[] Mitigating = ["rollback", "failover", "reload"];

    public static Incident? OnTransition(AlertingState state, AlertTransition t, AlertingOptions options, DateTimeOffset now)
    {
        if (t.To is not (AlertState.Firing or AlertState.Resolved))
        {
            return null;
        }

        var alert = t.Alert;
        var line = t.To == AlertState.Firing
            ? new IncidentEvent(now, "alert_firing", $"{alert.Name} firing ({alert.Severity.ToString().ToLowerInvariant()}): {alert.Annotations.GetValueOrDefault(AlertLabels.Description)}", FleetActor)
            : new IncidentEvent(now, "alert_resolved", $"{alert.Name} resolved", FleetActor);
        var open = OpenFor(state, alert.Model);
        if (open is null)
        {
            if (t.To != AlertState.Firing || alert.Severity != Severity.Critical || !alert.Notifies)
            {
                return null;
            }

            return Open(state, alert.Model, alert.Annotations.GetValueOrDefault(AlertLabels.Summary, alert.Name), alert.Severity,
                Earliest(state, alert.Model, alert.StartsAt, now), line, options,
                alert.Labels.GetValueOrDefault(AlertLabels.Version), alert.Labels.GetValueOrDefault(AlertLabels.Host), alert.Fingerprint);
        }

        var joined = Join(open, line, options, alert.Labels.GetValueOrDefault(AlertLabels.Version), alert.Labels.GetValueOrDefault(AlertLabels.Host), alert.Fingerprint) with
        {
            Severity = Max(open.Severity, t.To == AlertState.Firing ? alert.Severity : Severity.Info),
            StartedAt = t.To == AlertState.Firing && alert.StartsAt < open.StartedAt ? alert.StartsAt : open.StartedAt,
        };
        return Replace(state, joined);
    }

    public static Incident? OnSignal(AlertingState state, FleetSignal signal, AlertingOptions options, DateTimeOffset now)
    {
        var open = OpenFor(state, signal.Model);
        var kind = signal.Kind == SignalKind.Decision ? "decision" : "signal";
        var summary = signal.Kind == SignalKind.Decision
            ? $"decision {signal.Subject}: {signal.Reason}"
            : $"{signal.Kind.ToWire()}{(signal.Host is null ? "" : " on " + signal.Host)}: {signal.Reason}";
        var line = new IncidentEvent(signal.At, kind, summary, FleetActor);
        var failed = signal.Evidence.GetValueOrDefault("failed") > 0;
        var isDecision = signal.Kind == SignalKind.Decision && signal.Subject is { } action;
        if (open is null)
        {
            if (!isDecision || !Opening.Contains(signal.Subject) || failed)
            {
                return null;
            }

            open = Open(state, signal.Model, $"{signal.Subject} of {signal.Model}{(signal.Version is null ? "" : " version " + signal.Version)}",
                Severity.Critical, Earliest(state, signal.Model, signal.At, now), line, options, signal.Version, signal.Host, null);
        }
        else
        {
            open = Replace(state, Join(open, line, options, signal.Version, signal.Host, null));
        }

        var mitigates = !failed && ((isDecision && Mitigating.Contains(signal.Subject))
            || (signal.Kind == SignalKind.RetrainRequested && open.Alerts.Any(f => state.Alerts.TryGetValue(f, out var a) && a.Name == "FleetModelDrift")));
        if (mitigates && open.MitigatedAt is null)
        {
            open = Replace(state, open with
            {
                MitigatedAt = signal.At,
                State = open.State == IncidentState.Resolved ? open.State : IncidentState.Mitigated,
                Timeline = Append(open.Timeline, new IncidentEvent(signal.At, "mitigated", $"mitigated by {(isDecision ? signal.Subject : "a retraining request")}", FleetActor), options),
            });
        }

        return open;
    }

    /// <summary>A person's action: <c>ack</c>, <c>note</c> (text required) or <c>resolve</c>. Throws <see cref="RegistryException"/> naming what is wrong.</summary>
    public static Incident Act(AlertingState state, string id, string action, string actor, string? text, AlertingOptions options, DateTimeOffset now)
    {
        var incident = state.Incidents.FirstOrDefault(i => i.Id == id)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"incident '{id}' not found");
        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "actor: say who acts (the Fleet-Actor header; the CLI sends $FLEET_ACTOR, else $USER)");
        }

        var words = string.IsNullOrWhiteSpace(text) ? "" : ": " + text.Trim();
        var changed = action switch
        {
            "ack" when incident.State == IncidentState.Resolved => throw new RegistryException(RegistryErrorKind.Conflict, $"incident '{id}' is resolved"),
            "ack" => incident with
            {
                AcknowledgedAt = incident.AcknowledgedAt ?? now,
                State = incident.State == IncidentState.Open ? IncidentState.Acknowledged : incident.State,
            },
            "note" when string.IsNullOrWhiteSpace(text) => throw new RegistryException(RegistryErrorKind.Invalid, "text: a note needs words"),
            "note" => incident,
            "resolve" when incident.State == IncidentState.Resolved => throw new RegistryException(RegistryErrorKind.Conflict, $"incident '{id}' is already resolved"),
            "resolve" => incident with { ResolvedAt = now, State = IncidentState.Resolved },
            _ => throw new RegistryException(RegistryErrorKind.Invalid, $"action: '{action}' is not one of ack, note, resolve"),
        };
        var verb = action switch { "ack" => "acknowledged", "resolve" => "resolved", _ => "note" };
        return Replace(state, changed with { Timeline = Append(changed.Timeline, new IncidentEvent(now, action, verb + words, actor), options) });
    }

    public static Incident? OpenFor(AlertingState state, string model) =>
        state.Incidents.LastOrDefault(i => i.Model == model && i.State != IncidentState.Resolved);

    /// <summary>The first evidence: the earliest warning or critical signal of the model in the last hour, if before <paramref name="trigger"/>.</summary>
    private static DateTimeOffset Earliest(AlertingState state, string model, DateTimeOffset trigger, DateTimeOffset now)
    {
        var earliest = state.Recent
            .Where(s => s.Model == model && s.EffectiveSeverity >= Severity.Warning && s.At >= now - EvidenceLookback)
            .Select(s => s.At).DefaultIfEmpty(trigger).Min();
        return earliest < trigger ? earliest : trigger;
    }

    private static Incident Open(AlertingState state, string model, string title, Severity severity, DateTimeOffset started,
        IncidentEvent line, AlertingOptions options, string? version, string? host, string? alert)
    {
        var incident = new Incident($"i{++state.IncidentCount:D6}", model, title, severity, IncidentState.Open,
            version is null ? [] : [version], host is null ? [] : [host], alert is null ? [] : [alert],
            started, line.Time, null, null, null, [new IncidentEvent(line.Time, "opened", $"incident opened: {title}", FleetActor), line]);
        state.Incidents.Add(incident);
        while (state.Incidents.Count > options.MaxIncidents && state.Incidents.FindIndex(i => i.State == IncidentState.Resolved) is >= 0 and var oldest)
        {
            state.Incidents.RemoveAt(oldest);
        }

        return incident;
    }

    private static Incident Join(Incident incident, IncidentEvent line, AlertingOptions options, string? version, string? host, string? alert) => incident with
    {
        Versions = Add(incident.Versions, version),
        Hosts = Add(incident.Hosts, host),
        Alerts = Add(incident.Alerts, alert),
        Timeline = Append(incident.Timeline, line, options),
    };

    private static Incident Replace(AlertingState state, Incident incident)
    {
        var at = state.Incidents.FindIndex(i => i.Id == incident.Id);
        state.Incidents[at] = incident;
        return incident;
    }

    private static string[] Add(string[] values, string? value) =>
        value is null || values.Contains(value, StringComparer.Ordinal) ? values : [.. values, value];

    // The opening lines are kept; the oldest of the rest go first once the timeline is full.
    private static IncidentEvent[] Append(IncidentEvent[] timeline, IncidentEvent line, AlertingOptions options) =>
        timeline.Length < options.MaxTimeline ? [.. timeline, line] : [.. timeline.Take(2), .. timeline.Skip(3), line];

    private static Severity Max(Severity a, Severity b) => a > b ? a : b;
}

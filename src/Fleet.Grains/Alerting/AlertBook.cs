using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Alerting;

/// <summary>
/// The alert state machine (pure): signals start, refresh or clear an alert's condition; <see cref="Step"/> moves
/// each alert by Prometheus's rules at a given time. Callers persist the state and act on the transitions returned.
/// </summary>
public static class AlertBook
{
    /// <summary>
    /// Applies one signal, then steps the alert it touched and the inhibitions (<see cref="Inhibit"/>). Returns its
    /// transitions (none for an unknown kind).
    /// </summary>
    public static List<AlertTransition> Observe(AlertingState state, FleetSignal signal, IReadOnlyList<AlertRule> rules,
        AlertingOptions options, DateTimeOffset now, AlertSettings? settings = null) =>
        Inhibit(state, ObserveOne(state, signal, rules, options, now, settings), AlertRules.Inhibitions);

    private static List<AlertTransition> ObserveOne(AlertingState state, FleetSignal signal, IReadOnlyList<AlertRule> rules,
        AlertingOptions options, DateTimeOffset now, AlertSettings? settings)
    {
        if (signal.Kind.IsClearing())
        {
            return Clear(state, signal, rules, options, now, settings);
        }

        if (AlertRules.For(signal.Kind, rules) is not { } rule || signal.EffectiveSeverity == Severity.Info)
        {
            return [];
        }

        if (state.Clears.TryGetValue(ConditionOf(rule, signal), out var clearedAt) && clearedAt >= signal.At)
        {
            // Its clearing signal, raised after it, arrived first: the condition is already over.
            return [];
        }

        var labels = LabelsOf(rule, signal);
        var fingerprint = Fingerprints.Of(labels);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AlertLabels.Summary] = Fill(rule.Summary, signal),
            [AlertLabels.Description] = signal.Reason,
            [AlertLabels.RunbookUrl] = rule.RunbookUrl,
        };
        var ids = signal.Id is null ? [] : new[] { signal.Id };
        var value = signal.Evidence.Count > 0 ? signal.Evidence.First().Value : (double?)null;
        if (!state.Alerts.TryGetValue(fingerprint, out var alert) || alert.State == AlertState.Resolved)
        {
            // A new condition, or one that resolved and is back: a new cycle from pending.
            alert = new Alert(fingerprint, AlertState.Pending, signal.EffectiveSeverity, labels, annotations, signal.At, null, null, signal.At, null, value, ids, false);
            state.Alerts[fingerprint] = alert;
            var step = StepOne(alert, rule, options, state.Silences, now, settings);
            var started = new List<AlertTransition> { new(alert, AlertState.Inactive, AlertState.Pending) };
            if (step is not null)
            {
                Apply(state, step);
                started.Add(step);
            }

            return started;
        }

        state.Alerts[fingerprint] = alert = alert with
        {
            Annotations = annotations,
            LastSignalAt = signal.At > alert.LastSignalAt ? signal.At : alert.LastSignalAt,
            Value = value,
            SignalIds = [.. alert.SignalIds.Concat(ids).TakeLast(Alert.MaxSignalIds)],
        };
        return StepOne(alert, rule, options, state.Silences, now, settings) is { } t ? [Apply(state, t)] : [];
    }

    /// <summary>Moves every alert at <paramref name="now"/>, with each model's overrides from <see cref="AlertingState.Settings"/>.</summary>
    public static List<AlertTransition> Step(AlertingState state, IReadOnlyList<AlertRule> rules, AlertingOptions options, DateTimeOffset now)
    {
        var transitions = new List<AlertTransition>();
        foreach (var alert in state.Alerts.Values.OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray())
        {
            var rule = rules.FirstOrDefault(r => r.Name == alert.Name);
            if (rule is null || (alert.State == AlertState.Resolved && now - alert.EndsAt >= options.ResolvedRetention))
            {
                state.Alerts.Remove(alert.Fingerprint);
                continue;
            }

            var silenced = IsSilenced(alert.Labels, state.Silences, now);
            if (silenced != alert.Silenced)
            {
                state.Alerts[alert.Fingerprint] = alert with { Silenced = silenced };
            }

            if (StepOne(state.Alerts[alert.Fingerprint], rule, options, state.Silences, now, state.Settings.GetValueOrDefault(alert.Model)) is { } t)
            {
                transitions.Add(Apply(state, t));
            }
            else if (alert.Silenced && !silenced && alert.State == AlertState.Firing && alert.InhibitedBy is null)
            {
                // Its silence ended while it still fires: announced now, as Alertmanager would.
                transitions.Add(new AlertTransition(state.Alerts[alert.Fingerprint], AlertState.Firing, AlertState.Firing));
            }
        }

        return Inhibit(state, transitions, AlertRules.Inhibitions);
    }

    /// <summary>
    /// Marks each alert inhibited while a firing source alert of an <see cref="InhibitRule"/> shares its labels, and
    /// returns <paramref name="transitions"/> with their alerts marked, plus a firing→firing transition for each alert
    /// whose inhibition ended while it still fires (so it is announced then, never lost).
    /// </summary>
    public static List<AlertTransition> Inhibit(AlertingState state, List<AlertTransition> transitions, IReadOnlyList<InhibitRule> inhibitions)
    {
        var sources = state.Alerts.Values.Where(a => a.State == AlertState.Firing).OrderBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray();
        var released = new List<AlertTransition>();
        foreach (var alert in state.Alerts.Values.OrderBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray())
        {
            var by = InhibitorOf(alert, sources, inhibitions);
            if (by == alert.InhibitedBy)
            {
                continue;
            }

            var marked = alert with { InhibitedBy = by };
            state.Alerts[alert.Fingerprint] = marked;
            if (by is null && marked.State == AlertState.Firing && !marked.Silenced && !transitions.Exists(t => t.Alert.Fingerprint == alert.Fingerprint))
            {
                released.Add(new AlertTransition(marked, AlertState.Firing, AlertState.Firing));
            }
        }

        var result = transitions.Select(t => t.To != AlertState.Inactive && state.Alerts.TryGetValue(t.Alert.Fingerprint, out var current)
            ? t with { Alert = t.Alert with { InhibitedBy = current.InhibitedBy } }
            : t).ToList();
        result.AddRange(released);
        return result;
    }

    private static string? InhibitorOf(Alert alert, Alert[] firing, IReadOnlyList<InhibitRule> inhibitions)
    {
        foreach (var rule in inhibitions)
        {
            if (!rule.Targets.Contains(alert.Name, StringComparer.Ordinal))
            {
                continue;
            }

            var source = Array.Find(firing, s => s.Name == rule.Source && s.Fingerprint != alert.Fingerprint
                && rule.Equal.All(l => s.Labels.TryGetValue(l, out var v) && alert.Labels.TryGetValue(l, out var w) && v == w));
            if (source is not null)
            {
                return source.Fingerprint;
            }
        }

        return null;
    }

    /// <summary>True while the alert's condition holds: fed after its last clearing, and (one-off kinds) within the rule's hold.</summary>
    public static bool Holds(Alert alert, AlertRule rule, DateTimeOffset now) =>
        (alert.ClearedAt is null || alert.ClearedAt < alert.LastSignalAt) && (rule.Hold is not { } hold || now - alert.LastSignalAt < hold);

    /// <summary>When the condition stopped holding (its clearing, or the end of its hold); null while it holds.</summary>
    public static DateTimeOffset? StoppedAt(Alert alert, AlertRule rule, DateTimeOffset now)
    {
        if (Holds(alert, rule, now))
        {
            return null;
        }

        var held = rule.Hold is { } hold ? alert.LastSignalAt + hold : (DateTimeOffset?)null;
        return (alert.ClearedAt, held) switch
        {
            ({ } c, { } h) => c < h ? c : h,
            ({ } c, null) => c,
            (null, { } h) => h,
            _ => now,
        };
    }

    public static bool IsSilenced(IReadOnlyDictionary<string, string> labels, IEnumerable<Silence> silences, DateTimeOffset now) =>
        silences.Any(s => s.StartsAt <= now && now < s.EndsAt && SilenceMatchers.Matches(s.Matchers, labels));

    private static AlertTransition? StepOne(Alert alert, AlertRule rule, AlertingOptions options, List<Silence> silences, DateTimeOffset now, AlertSettings? settings)
    {
        var silenced = IsSilenced(alert.Labels, silences, now);
        var wait = settings?.For ?? rule.For;
        var keep = settings?.KeepFiringFor ?? rule.KeepFiringFor;
        switch (alert.State)
        {
            case AlertState.Pending when !Holds(alert, rule, now):
                return new(alert with { State = AlertState.Inactive, Silenced = silenced }, AlertState.Pending, AlertState.Inactive);
            case AlertState.Pending when now - alert.StartsAt >= wait:
                return new(alert with { State = AlertState.Firing, FiredAt = now, Silenced = silenced }, AlertState.Pending, AlertState.Firing);
            case AlertState.Firing when StoppedAt(alert, rule, now) is { } stopped && now - stopped >= keep:
                return new(alert with { State = AlertState.Resolved, EndsAt = now, Silenced = silenced }, AlertState.Firing, AlertState.Resolved);
            default:
                return null;
        }
    }

    private static AlertTransition Apply(AlertingState state, AlertTransition t)
    {
        if (t.To == AlertState.Inactive)
        {
            state.Alerts.Remove(t.Alert.Fingerprint);
        }
        else
        {
            state.Alerts[t.Alert.Fingerprint] = t.Alert;
        }

        return t;
    }

    private static List<AlertTransition> Clear(AlertingState state, FleetSignal signal, IReadOnlyList<AlertRule> rules, AlertingOptions options, DateTimeOffset now, AlertSettings? settings)
    {
        if (AlertRules.ClearedBy(signal.Kind, rules) is not { } rule)
        {
            return [];
        }

        var condition = ConditionOf(rule, signal);
        if (!state.Clears.TryGetValue(condition, out var known) || known < signal.At)
        {
            state.Clears[condition] = signal.At;
        }

        // Kept as long as resolved alerts are: a signal older than that no longer arrives out of order.
        foreach (var stale in state.Clears.Where(c => now - c.Value > options.ResolvedRetention).Select(c => c.Key).ToArray())
        {
            state.Clears.Remove(stale);
        }

        var transitions = new List<AlertTransition>();
        var cleared = state.Alerts.Values.Where(a => a.Name == rule.Name && a.Model == signal.Model
            && (signal.Version is null || a.Labels.GetValueOrDefault(AlertLabels.Version) == signal.Version)
            && (signal.Host is null || a.Labels.GetValueOrDefault(AlertLabels.Host) == signal.Host)
            && (signal.Kind != SignalKind.MonitorRecovered || a.Labels.GetValueOrDefault(AlertLabels.Component) == signal.Subject)
            && a.State is AlertState.Pending or AlertState.Firing).ToArray();
        foreach (var alert in cleared)
        {
            var after = alert with { ClearedAt = signal.At };
            state.Alerts[alert.Fingerprint] = after;
            if (StepOne(after, rule, options, state.Silences, now, settings) is { } t)
            {
                transitions.Add(Apply(state, t));
            }
        }

        return transitions;
    }

    /// <summary>A condition's identity across the signal that starts it and the one that ends it.</summary>
    private static string ConditionOf(AlertRule rule, FleetSignal signal) =>
        $"{rule.Name}\u001f{signal.Model}\u001f{signal.Version}\u001f{signal.Host}\u001f{(signal.Kind is SignalKind.MonitorUnhealthy or SignalKind.MonitorRecovered ? signal.Subject : null)}";

    private static Dictionary<string, string> LabelsOf(AlertRule rule, FleetSignal signal)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AlertLabels.AlertName] = rule.Name,
            [AlertLabels.Model] = signal.Model,
            [AlertLabels.Severity] = signal.EffectiveSeverity.ToString().ToLowerInvariant(),
            [AlertLabels.Kind] = signal.Kind.ToWire(),
        };
        if (signal.Version is { } version)
        {
            labels[AlertLabels.Version] = version;
        }

        if (signal.Host is { } host)
        {
            labels[AlertLabels.Host] = host;
        }

        if (signal.Kind == SignalKind.Decision && signal.Subject is { } action)
        {
            labels[AlertLabels.Action] = action;
        }

        if (signal.Kind == SignalKind.MonitorUnhealthy && signal.Subject is { } component)
        {
            labels[AlertLabels.Component] = component;
        }

        return labels;
    }

    private static string Fill(string template, FleetSignal signal) => template
        .Replace("{model}", signal.Model, StringComparison.Ordinal)
        .Replace("{version}", signal.Version is null ? "" : "version " + signal.Version, StringComparison.Ordinal)
        .Replace("{host}", signal.Host ?? "?", StringComparison.Ordinal)
        .Replace("{action}", signal.Subject ?? "?", StringComparison.Ordinal)
        .Replace("  ", " ", StringComparison.Ordinal).Trim();
}

using Fleet.Abstractions.Alerting;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Webhook notifications (pure): one per model and sink for the alerts that fired or resolved together, kept until
/// delivered, retried with exponential backoff (1 s, 2 s, 4 s, ... up to <see cref="AlertingOptions.RetryMaxDelay"/>),
/// bounded (the oldest dropped and counted). Alertmanager needs no queue: it is sent the current alerts (<see cref="ForAlertmanager"/>).
/// </summary>
public static class Outbox
{
    /// <summary>Queues what <paramref name="transitions"/> announce: firing and resolved alerts, silenced ones left out, grouped per model.</summary>
    public static List<AlertNotification> Enqueue(AlertingState state, IEnumerable<AlertTransition> transitions, IReadOnlyList<string> sinks,
        AlertingOptions options, DateTimeOffset now)
    {
        var announced = transitions.Where(t => t.To is AlertState.Firing or AlertState.Resolved && t.Alert.Notifies).ToArray();
        if (announced.Length > 0)
        {
            state.AlertmanagerDue = true;
        }

        var queued = new List<AlertNotification>();
        foreach (var group in announced.GroupBy(t => t.Alert.Model, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The group as a receiver should see it: everything of the model still firing, and what just resolved.
            var resolved = group.Where(t => t.To == AlertState.Resolved).Select(t => t.Alert);
            var firing = state.Alerts.Values.Where(a => a.Model == group.Key && a.State == AlertState.Firing && a.Notifies);
            var alerts = firing.Concat(resolved).DistinctBy(a => a.Fingerprint).OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray();
            var status = alerts.Any(a => a.State == AlertState.Firing) ? AlertState.Firing : AlertState.Resolved;
            foreach (var sink in sinks)
            {
                var notification = new AlertNotification($"n{++state.NotificationCount:D6}", sink, group.Key, status, alerts, now, 0, now, null);
                state.Outbox.Add(notification);
                queued.Add(notification);
            }
        }

        while (state.Outbox.Count > options.MaxOutbox)
        {
            state.Outbox.RemoveAt(0);
            state.Dropped++;
        }

        return queued;
    }

    public static AlertNotification[] Due(AlertingState state, DateTimeOffset now) =>
        [.. state.Outbox.Where(n => n.NextAttemptAt <= now)];

    public static void Delivered(AlertingState state, AlertNotification notification)
    {
        if (state.Outbox.RemoveAll(n => n.Id == notification.Id && n.Sink == notification.Sink) > 0)
        {
            state.Delivered++;
        }
    }

    /// <summary>Schedules the next attempt: 2^(attempts-1) seconds after this one, at most the configured maximum.</summary>
    public static AlertNotification Failed(AlertingState state, AlertNotification notification, string error, AlertingOptions options, DateTimeOffset now)
    {
        var attempts = notification.Attempts + 1;
        var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts - 1), options.RetryMaxDelay.TotalSeconds));
        var retried = notification with { Attempts = attempts, NextAttemptAt = now + delay, LastError = error };
        var at = state.Outbox.FindIndex(n => n.Id == notification.Id && n.Sink == notification.Sink);
        if (at >= 0)
        {
            state.Outbox[at] = retried;
        }

        state.Failed++;
        return retried;
    }

    /// <summary>
    /// What Alertmanager is sent now, or null when nothing is due: every unsilenced firing alert and those resolved
    /// within the retention (Alertmanager resolves on their <c>endsAt</c>), on any change and every <see cref="AlertingOptions.ResendInterval"/> while any fires.
    /// </summary>
    public static Alert[]? ForAlertmanager(AlertingState state, AlertingOptions options, DateTimeOffset now)
    {
        var alerts = state.Alerts.Values.Where(a => a.State is AlertState.Firing or AlertState.Resolved && a.Notifies)
            .OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToArray();
        var resend = alerts.Any(a => a.State == AlertState.Firing)
            && (state.AlertmanagerSentAt is not { } sent || now - sent >= options.ResendInterval);
        return state.AlertmanagerDue || resend ? alerts : null;
    }
}

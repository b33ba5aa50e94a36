using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Fleet watching its own alerting (pure): a sink whose deliveries fail <see cref="FailuresBeforeUnhealthy"/> times in a
/// row raises <c>monitor_unhealthy</c> (component: the sink), its next success <c>monitor_recovered</c>; notifications
/// dropped from a full outbox raise it for the outbox until a delivery succeeds again. Alarms that may not be reaching
/// anyone are alarms too: they show in <c>fleet alerts</c>, on <c>/metrics</c> and at every sink still working.
/// </summary>
public static class SinkHealth
{
    public const int FailuresBeforeUnhealthy = 3;
    public const string Outbox = "alert-outbox";

    /// <summary>One delivery's outcome for <paramref name="sink"/>; the signal it raises, if any.</summary>
    public static FleetSignal? Record(AlertingState state, string sink, DeliveryOutcome outcome, DateTimeOffset now)
    {
        if (outcome.Delivered)
        {
            state.SinkFailures.Remove(sink);
            return state.UnhealthySinks.Remove(sink)
                ? Signal(SignalKind.MonitorRecovered, sink, $"{sink} delivers again", now, "failures", 0)
                : null;
        }

        var failures = state.SinkFailures[sink] = state.SinkFailures.GetValueOrDefault(sink) + 1;
        return failures >= FailuresBeforeUnhealthy && state.UnhealthySinks.Add(sink)
            ? Signal(SignalKind.MonitorUnhealthy, sink, $"{sink} failed {failures} deliveries in a row; last: {outcome.Error}", now, "failures", failures)
            : null;
    }

    /// <summary>Notifications dropped since <paramref name="droppedBefore"/> (the outbox was full), or a delivery after such drops.</summary>
    public static FleetSignal? Outboxed(AlertingState state, long droppedBefore, bool anyDelivered, DateTimeOffset now)
    {
        if (state.Dropped > droppedBefore && state.UnhealthySinks.Add(Outbox))
        {
            return Signal(SignalKind.MonitorUnhealthy, Outbox, $"the alert outbox is full: {state.Dropped} notifications dropped in all (oldest first)", now, "dropped_total", state.Dropped);
        }

        return anyDelivered && state.Dropped == droppedBefore && state.UnhealthySinks.Remove(Outbox)
            ? Signal(SignalKind.MonitorRecovered, Outbox, "the alert outbox delivers again", now, "dropped_total", state.Dropped)
            : null;
    }

    /// <summary>The coordinator did not take <paramref name="signal"/>: back to before it, so the next outcome raises it again.</summary>
    public static void Undo(AlertingState state, FleetSignal signal)
    {
        if (signal.Kind == SignalKind.MonitorUnhealthy)
        {
            state.UnhealthySinks.Remove(signal.Subject!);
        }
        else
        {
            state.UnhealthySinks.Add(signal.Subject!);
        }
    }

    private static FleetSignal Signal(SignalKind kind, string component, string reason, DateTimeOffset now, string measure, double value) =>
        new(kind, FleetSignal.FleetModel, null, now, reason, new Dictionary<string, double> { [measure] = value }, Subject: component);
}

using Fleet.Abstractions.Coordination;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>Fleet's own alerting watched: a sink failing in a row, a full outbox.</summary>
public sealed class SinkHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Three_failures_in_a_row_raise_monitor_unhealthy_once_and_a_success_recovers_it()
    {
        var state = new AlertingState();
        var refused = DeliveryOutcome.Fail("connection refused");
        Assert.Null(SinkHealth.Record(state, "webhook-0", refused, T0));
        Assert.Null(SinkHealth.Record(state, "webhook-0", DeliveryOutcome.Ok, T0)); // a success resets the count
        Assert.Null(SinkHealth.Record(state, "webhook-0", refused, T0));
        Assert.Null(SinkHealth.Record(state, "webhook-0", refused, T0));
        var unhealthy = SinkHealth.Record(state, "webhook-0", refused, T0)!;
        Assert.Equal((SignalKind.MonitorUnhealthy, FleetSignal.FleetModel, "webhook-0", "webhook-0 failed 3 deliveries in a row; last: connection refused"),
            (unhealthy.Kind, unhealthy.Model, unhealthy.Subject, unhealthy.Reason));
        Assert.Null(SinkHealth.Record(state, "webhook-0", refused, T0)); // once per episode
        Assert.Null(SinkHealth.Record(state, "alertmanager", DeliveryOutcome.Ok, T0)); // other sinks are their own

        var recovered = SinkHealth.Record(state, "webhook-0", DeliveryOutcome.Ok, T0.AddSeconds(30))!;
        Assert.Equal((SignalKind.MonitorRecovered, "webhook-0"), (recovered.Kind, recovered.Subject));
        Assert.Empty(state.UnhealthySinks);
    }

    [Fact]
    public void A_signal_the_coordinator_did_not_take_is_undone_and_raised_again_on_the_next_outcome()
    {
        var state = new AlertingState();
        var refused = DeliveryOutcome.Fail("refused");
        SinkHealth.Record(state, "webhook-0", refused, T0);
        SinkHealth.Record(state, "webhook-0", refused, T0);
        SinkHealth.Undo(state, SinkHealth.Record(state, "webhook-0", refused, T0)!);
        Assert.Equal(SignalKind.MonitorUnhealthy, SinkHealth.Record(state, "webhook-0", refused, T0)!.Kind);

        SinkHealth.Undo(state, SinkHealth.Record(state, "webhook-0", DeliveryOutcome.Ok, T0)!);
        Assert.Equal(SignalKind.MonitorRecovered, SinkHealth.Record(state, "webhook-0", DeliveryOutcome.Ok, T0)!.Kind);
    }

    [Fact]
    public void Dropped_notifications_raise_it_for_the_outbox_until_a_delivery_drops_nothing()
    {
        var state = new AlertingState { Dropped = 2 };
        var full = SinkHealth.Outboxed(state, droppedBefore: 0, anyDelivered: true, T0)!;
        Assert.Equal((SignalKind.MonitorUnhealthy, SinkHealth.Outbox, 2.0), (full.Kind, full.Subject, full.Evidence["dropped_total"]));
        Assert.Null(SinkHealth.Outboxed(state, droppedBefore: 2, anyDelivered: false, T0));
        Assert.Equal(SignalKind.MonitorRecovered, SinkHealth.Outboxed(state, droppedBefore: 2, anyDelivered: true, T0)!.Kind);
    }

    [Fact]
    public void The_monitor_alert_is_one_per_component_and_resolves_with_its_own_recovery()
    {
        var state = new AlertingState();
        var options = new AlertingOptions();
        FleetSignal Monitor(SignalKind kind, string component) => new(kind, FleetSignal.FleetModel, null, T0, "x", [], Subject: component);
        AlertBook.Observe(state, Monitor(SignalKind.MonitorUnhealthy, "webhook-0"), AlertRules.BuiltIn, options, T0);
        AlertBook.Observe(state, Monitor(SignalKind.MonitorUnhealthy, "alertmanager"), AlertRules.BuiltIn, options, T0);

        var resolved = Assert.Single(AlertBook.Observe(state, Monitor(SignalKind.MonitorRecovered, "alertmanager"), AlertRules.BuiltIn, options, T0));
        Assert.Equal(("FleetMonitorUnhealthy", "alertmanager", Fleet.Abstractions.Alerting.AlertState.Resolved),
            (resolved.Alert.Name, resolved.Alert.Labels["component"], resolved.To));
        Assert.Equal("Fleet's own monitoring is failing: webhook-0",
            state.Alerts.Values.Single(a => a.State == Fleet.Abstractions.Alerting.AlertState.Firing).Annotations["summary"]);
    }
}

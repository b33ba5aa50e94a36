using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Server.Alerting;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Alerting;

/// <summary>
/// Delivery that is itself reliable, on a 2-silo cluster with a fake clock and a real HTTP receiver: a receiver that is
/// down for 30 s gets every notification exactly once when it is back (retried with backoff, idempotency key in the
/// payload and its header), and the outbox and counters say what happened meanwhile.
/// </summary>
[Trait(Speed.Trait, Speed.Grain)]
public sealed class AlertDeliveryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private IAlertingGrain Alerting => fixture.Grains.GetGrain<IAlertingGrain>(IAlertingGrain.Key);

    [Fact]
    public async Task A_receiver_down_for_30_seconds_gets_every_notification_exactly_once_when_it_is_back()
    {
        var churn = Names.Model("churn");
        var fraud = Names.Model("fraud");
        // Every delivery attempt is a span ("alert.deliver", source "Fleet"), as OTLP would export it.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<(string Model, string? Outcome)>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Fleet",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.OperationName == "alert.deliver" && a.GetTagItem("fleet.model") is string m && (m == churn || m == fraud))
                {
                    spans.Enqueue((m, a.GetTagItem("fleet.outcome") as string));
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var coordinator = fixture.Grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);
        var before = await Alerting.GetStatus();

        // One at a time: the coordinator passes signals on one-way, and Orleans does not promise their order.
        await coordinator.Signal(Signal(SignalKind.Drift, churn));
        await WaitModelAlertAsync(churn, AlertState.Firing);
        await coordinator.Signal(Signal(SignalKind.Drift, fraud));
        await WaitModelAlertAsync(fraud, AlertState.Firing);
        await coordinator.Signal(Signal(SignalKind.DriftCleared, churn));
        await WaitModelAlertAsync(churn, AlertState.Resolved);

        // The third failure in a row makes the sink itself an alarm: monitor_unhealthy, component webhook-0, which
        // queues a fourth notification (for the same sink, so it waits too).
        var unhealthy = await WaitAlertAsync("FleetMonitorUnhealthy", AlertState.Firing);
        Assert.Equal(("webhook-0", "critical"), (unhealthy.Labels["component"], unhealthy.Labels["severity"]));
        Assert.StartsWith("webhook-0 failed 3 deliveries in a row; last: http://127.0.0.1:", unhealthy.Annotations["description"]);
        var down = await Alerting.GetStatus();
        Assert.Equal((4, 4L), (down.Queued - before.Queued, down.Failed - before.Failed)); // each tried once, at once, and refused

        // 30 s of outage, evaluated every second: retried 1, 3, 7 and 15 s after the first attempt (backoff 1, 2, 4, 8 s), next at 31 s.
        for (var s = 0; s < 30; s++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Alerting.Tick();
        }

        var during = await Alerting.GetStatus();
        Assert.Equal((4, 4 * 5L), (during.Queued - before.Queued, during.Failed - before.Failed));
        Assert.Empty(fixture.Webhook.Received);

        await fixture.Webhook.StartAgainAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await Alerting.Tick();
        await WaitAlertAsync("FleetMonitorUnhealthy", AlertState.Resolved); // the first delivery recovered the sink
        for (var s = 0; s < 60; s++)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Alerting.Tick();
        }

        var posts = fixture.Webhook.Received.Where(p => (string)p.Json["model"]! == churn || (string)p.Json["model"]! == fraud).ToArray();
        Assert.Equal([(churn, "firing"), (fraud, "firing"), (churn, "resolved")], posts.Select(p => ((string)p.Json["model"]!, (string)p.Json["status"]!)).ToArray());
        Assert.Equal(3, posts.Select(p => (string)p.Json["idempotency_key"]!).Distinct().Count());
        Assert.All(posts, p =>
        {
            Assert.Equal((string)p.Json["idempotency_key"]!, p.Headers[AlertSinks.IdempotencyHeader]);
            Assert.Equal(AlertSinks.Sign(ClusterFixture.WebhookSecret, p.Body), p.Headers[AlertSinks.SignatureHeader]);
            Assert.Equal(6, (int)p.Json["attempt"]!);
        });
        var fleet = fixture.Webhook.Received.Where(p => (string)p.Json["model"]! == FleetSignal.FleetModel).Select(p => ((string)p.Json["status"]!, (int)p.Json["attempt"]!)).ToArray();
        Assert.Equal([("firing", 6), ("resolved", 1)], fleet);
        var after = await Alerting.GetStatus();
        Assert.Equal((before.Queued, 5L), (after.Queued, after.Delivered - before.Delivered));

        Assert.Equal((15, 3), (spans.Count(x => x.Outcome == "failed"), spans.Count(x => x.Outcome == "delivered")));

        var signals = await coordinator.GetSignals(FleetSignal.FleetModel, 10);
        Assert.Equal([SignalKind.MonitorRecovered, SignalKind.MonitorUnhealthy], signals.Select(x => x.Kind).ToArray());
    }

    private Task WaitModelAlertAsync(string model, AlertState state) =>
        Poll.UntilAsync(async () => (await Alerting.GetAlerts(state)).Any(a => a.Model == model), Wait, $"{model}'s alert {state}");

    private async Task<Alert> WaitAlertAsync(string name, AlertState state)
    {
        Alert? found = null;
        await Poll.UntilAsync(async () => (found = (await Alerting.GetAlerts(state)).FirstOrDefault(a => a.Name == name)) is not null, Wait, $"{name} {state}");
        return found!;
    }

    private FleetSignal Signal(SignalKind kind, string model) =>
        new(kind, model, "1", fixture.Time.GetUtcNow(), $"{kind.ToWire()} of mean_radius", new Dictionary<string, double> { ["drifted_share"] = 0.03 });
}

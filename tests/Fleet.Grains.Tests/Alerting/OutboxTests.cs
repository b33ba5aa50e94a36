using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>Notifications: grouped per model, one per sink, retried with backoff, bounded; what Alertmanager is sent when.</summary>
public sealed class OutboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertingOptions Options = new() { MaxOutbox = 3 };
    private static readonly string[] Sinks = ["webhook-0", "webhook-1"];

    private static List<AlertTransition> Fire(AlertingState state, string model, string version, DateTimeOffset at) =>
        AlertBook.Observe(state, new FleetSignal(SignalKind.Drift, model, version, at, "drifted", []), AlertRules.BuiltIn, Options, at);

    [Fact]
    public void Alerts_that_fire_together_are_one_notification_per_model_and_sink()
    {
        var state = new AlertingState();
        var transitions = Fire(state, "churn", "1", T0).Concat(Fire(state, "churn", "2", T0)).Concat(Fire(state, "fraud", "7", T0)).ToList();

        var queued = Outbox.Enqueue(state, transitions, Sinks, new AlertingOptions(), T0);

        Assert.Equal([("n000001", "webhook-0", "churn"), ("n000002", "webhook-1", "churn"), ("n000003", "webhook-0", "fraud"), ("n000004", "webhook-1", "fraud")],
            queued.Select(n => (n.Id, n.Sink, n.Model)).ToArray());
        Assert.Equal([2, 2, 1, 1], queued.Select(n => n.Alerts.Length).ToArray());
        Assert.All(queued, n => Assert.Equal(AlertState.Firing, n.Status));
        Assert.True(state.AlertmanagerDue);
    }

    [Fact]
    public void A_failed_delivery_backs_off_exponentially_up_to_the_maximum_and_is_removed_once_delivered()
    {
        var state = new AlertingState();
        var n = Assert.Single(Outbox.Enqueue(state, Fire(state, "churn", "1", T0), ["webhook-0"], Options, T0));
        var options = new AlertingOptions { RetryMaxDelay = TimeSpan.FromSeconds(5) };
        var at = T0;
        var delays = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            n = Outbox.Failed(state, Assert.Single(Outbox.Due(state, at)), "connection refused", options, at);
            delays.Add((n.NextAttemptAt - at).TotalSeconds);
            Assert.Empty(Outbox.Due(state, n.NextAttemptAt.AddTicks(-1)));
            at = n.NextAttemptAt;
        }

        Assert.Equal([1, 2, 4, 5, 5], delays);
        Assert.Equal((5, "connection refused", 5L), (n.Attempts, n.LastError, state.Failed));
        Outbox.Delivered(state, Assert.Single(Outbox.Due(state, at)));
        Assert.Equal((0, 1L), (state.Outbox.Count, state.Delivered));
    }

    [Fact]
    public void A_full_outbox_drops_the_oldest_and_counts_them()
    {
        var state = new AlertingState();
        for (var i = 0; i < 5; i++)
        {
            Outbox.Enqueue(state, Fire(state, $"m{i}", "1", T0), ["webhook-0"], Options, T0);
        }

        Assert.Equal(["m2", "m3", "m4"], state.Outbox.Select(n => n.Model).ToArray());
        Assert.Equal(2, state.Dropped);
    }

    [Fact]
    public void Silenced_and_pending_alerts_are_not_announced()
    {
        var state = new AlertingState { Silences = [new Silence("x", ["model=churn"], T0, T0.AddHours(1), "", "ana")] };
        Assert.Empty(Outbox.Enqueue(state, Fire(state, "churn", "1", T0), Sinks, Options, T0));
        Assert.False(state.AlertmanagerDue);
        Assert.Null(Outbox.ForAlertmanager(state, Options, T0));
    }

    [Fact]
    public void Alertmanager_is_sent_the_current_alerts_on_a_change_and_again_each_resend_interval_while_any_fires()
    {
        var state = new AlertingState();
        Outbox.Enqueue(state, Fire(state, "churn", "1", T0), [], Options, T0);
        Assert.Single(Outbox.ForAlertmanager(state, Options, T0)!);
        (state.AlertmanagerSentAt, state.AlertmanagerDue) = (T0, false);

        Assert.Null(Outbox.ForAlertmanager(state, Options, T0 + Options.ResendInterval - TimeSpan.FromSeconds(1)));
        Assert.Single(Outbox.ForAlertmanager(state, Options, T0 + Options.ResendInterval)!);

        // Resolved: sent once more (with its endsAt), then no more re-sends.
        var resolved = AlertBook.Observe(state, new FleetSignal(SignalKind.DriftCleared, "churn", "1", T0.AddMinutes(2), "back", []), AlertRules.BuiltIn, Options, T0.AddMinutes(2));
        Outbox.Enqueue(state, resolved, [], Options, T0.AddMinutes(2));
        Assert.Equal(AlertState.Resolved, Assert.Single(Outbox.ForAlertmanager(state, Options, T0.AddMinutes(2))!).State);
        (state.AlertmanagerSentAt, state.AlertmanagerDue) = (T0.AddMinutes(2), false);
        Assert.Null(Outbox.ForAlertmanager(state, Options, T0.AddMinutes(10)));
    }
}

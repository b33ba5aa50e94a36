using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>The alert state machine: Prometheus's pending, firing and resolved, fed by signals.</summary>
public sealed class AlertBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertingOptions Options = new();

    private static FleetSignal Signal(SignalKind kind, DateTimeOffset at, string model = "churn", string? version = "2", string? host = null, string? id = null, Severity? severity = null) =>
        new(kind, model, version, at, $"{kind.ToWire()} seen", new Dictionary<string, double> { ["drifted_share"] = 0.4 }, host, severity, id);

    private static AlertRule Rule(string name, SignalKind kind, TimeSpan forDuration = default, TimeSpan keep = default, TimeSpan? hold = null) =>
        new(name, kind, forDuration, keep, hold, "{model} {version}");

    [Fact]
    public void A_confirmed_drift_fires_at_once_and_resolves_when_it_clears()
    {
        var state = new AlertingState();
        var fired = AlertBook.Observe(state, Signal(SignalKind.Drift, T0, id: "s000001"), AlertRules.BuiltIn, Options, T0);

        Assert.Equal([(AlertState.Inactive, AlertState.Pending), (AlertState.Pending, AlertState.Firing)], fired.Select(t => (t.From, t.To)).ToArray());
        var alert = Assert.Single(state.Alerts.Values);
        Assert.Equal(("FleetModelDrift", "churn", "2", "critical"), (alert.Name, alert.Model, alert.Labels["version"], alert.Labels["severity"]));
        Assert.Equal((T0, (DateTimeOffset?)T0, (DateTimeOffset?)null, 0.4), (alert.StartsAt, alert.FiredAt, alert.EndsAt, alert.Value));
        Assert.Equal(["s000001"], alert.SignalIds);
        Assert.Equal("drift seen", alert.Annotations["description"]);
        Assert.Equal("inputs or outputs of churn version 2 drifted from the reference", alert.Annotations["summary"]);

        var cleared = AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddMinutes(10)), AlertRules.BuiltIn, Options, T0.AddMinutes(10));
        var resolved = Assert.Single(cleared);
        Assert.Equal((AlertState.Firing, AlertState.Resolved, (DateTimeOffset?)T0.AddMinutes(10)), (resolved.From, resolved.To, resolved.Alert.EndsAt));
    }

    [Fact]
    public void With_for_an_alert_is_pending_until_its_condition_has_held_that_long_and_is_dropped_silently_if_it_stops()
    {
        var rules = new[] { Rule("Drift", SignalKind.Drift, forDuration: TimeSpan.FromSeconds(30)) };
        var state = new AlertingState();
        Assert.Equal(AlertState.Pending, Assert.Single(AlertBook.Observe(state, Signal(SignalKind.Drift, T0), rules, Options, T0)).To);
        Assert.Empty(AlertBook.Step(state, rules, Options, T0.AddSeconds(29)));

        var firing = Assert.Single(AlertBook.Step(state, rules, Options, T0.AddSeconds(30)));
        Assert.Equal((AlertState.Pending, AlertState.Firing), (firing.From, firing.To));

        // A second condition that clears before its `for` goes back to inactive: nothing is announced, nothing is kept.
        AlertBook.Observe(state, Signal(SignalKind.Drift, T0.AddSeconds(31), version: "3"), rules, Options, T0.AddSeconds(31));
        var dropped = Assert.Single(AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddSeconds(40), version: "3"), rules, Options, T0.AddSeconds(40)));
        Assert.Equal((AlertState.Pending, AlertState.Inactive), (dropped.From, dropped.To));
        Assert.Equal(["2"], state.Alerts.Values.Select(a => a.Labels["version"]).ToArray());
    }

    [Fact]
    public void A_model_s_overrides_replace_the_rule_s_for_and_keep_firing_for()
    {
        var state = new AlertingState { Settings = { ["churn"] = new AlertSettings(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)) } };
        Assert.Equal(AlertState.Pending, AlertBook.Observe(state, Signal(SignalKind.Drift, T0), AlertRules.BuiltIn, Options, T0, state.Settings["churn"])[^1].To);
        Assert.Empty(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddSeconds(9)));
        Assert.Equal(AlertState.Firing, Assert.Single(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddSeconds(10))).To);

        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddSeconds(20)), AlertRules.BuiltIn, Options, T0.AddSeconds(20), state.Settings["churn"]));
        Assert.Empty(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddSeconds(79)));
        Assert.Equal(AlertState.Resolved, Assert.Single(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddSeconds(80))).To);

        // Another model keeps the rule's own: fires at once.
        Assert.Equal(AlertState.Firing, AlertBook.Observe(state, Signal(SignalKind.Drift, T0, model: "fraud"), AlertRules.BuiltIn, Options, T0)[^1].To);
    }

    [Fact]
    public void Keep_firing_for_holds_a_cleared_alert_firing_and_a_one_off_event_resolves_after_its_hold()
    {
        var rules = new[] { Rule("Drift", SignalKind.Drift, keep: TimeSpan.FromMinutes(5)), Rule("Drop", SignalKind.QualityDrop, hold: TimeSpan.FromMinutes(15)) };
        var state = new AlertingState();
        AlertBook.Observe(state, Signal(SignalKind.Drift, T0), rules, Options, T0);
        AlertBook.Observe(state, Signal(SignalKind.QualityDrop, T0), rules, Options, T0);
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddMinutes(1)), rules, Options, T0.AddMinutes(1)));

        Assert.Empty(AlertBook.Step(state, rules, Options, T0.AddMinutes(5).AddSeconds(59)));
        Assert.Equal(["Drift"], AlertBook.Step(state, rules, Options, T0.AddMinutes(6)).Select(t => t.Alert.Name).ToArray());
        Assert.Empty(AlertBook.Step(state, rules, Options, T0.AddMinutes(14).AddSeconds(59)));
        var drop = Assert.Single(AlertBook.Step(state, rules, Options, T0.AddMinutes(15)));
        Assert.Equal(("Drop", AlertState.Resolved), (drop.Alert.Name, drop.To));
    }

    [Fact]
    public void The_same_condition_is_one_alert_however_many_signals_feed_it_and_a_new_cycle_after_it_resolved()
    {
        var state = new AlertingState();
        AlertBook.Observe(state, Signal(SignalKind.Drift, T0, id: "s1"), AlertRules.BuiltIn, Options, T0);
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.Drift, T0.AddMinutes(1), id: "s2"), AlertRules.BuiltIn, Options, T0.AddMinutes(1)));
        var alert = Assert.Single(state.Alerts.Values);
        Assert.Equal(["s1", "s2"], alert.SignalIds);
        Assert.Equal(T0.AddMinutes(1), alert.LastSignalAt);

        AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddMinutes(2)), AlertRules.BuiltIn, Options, T0.AddMinutes(2));
        var again = AlertBook.Observe(state, Signal(SignalKind.Drift, T0.AddMinutes(3), id: "s3"), AlertRules.BuiltIn, Options, T0.AddMinutes(3));
        Assert.Equal([AlertState.Pending, AlertState.Firing], again.Select(t => t.To).ToArray());
        var cycle = Assert.Single(state.Alerts.Values);
        Assert.Equal((alert.Fingerprint, T0.AddMinutes(3), (DateTimeOffset?)null), (cycle.Fingerprint, cycle.StartsAt, cycle.EndsAt));
        Assert.Equal(["s3"], cycle.SignalIds);
    }

    [Fact]
    public void A_probe_failure_is_one_alert_per_host_and_recovery_on_one_host_resolves_only_that_one()
    {
        var state = new AlertingState();
        AlertBook.Observe(state, Signal(SignalKind.ProbeFailed, T0, host: "silo-a"), AlertRules.BuiltIn, Options, T0);
        AlertBook.Observe(state, Signal(SignalKind.ProbeFailed, T0, host: "silo-b"), AlertRules.BuiltIn, Options, T0);
        Assert.Equal(2, state.Alerts.Count);

        var resolved = Assert.Single(AlertBook.Observe(state, Signal(SignalKind.ProbeRecovered, T0.AddSeconds(5), host: "silo-b"), AlertRules.BuiltIn, Options, T0.AddSeconds(5)));
        Assert.Equal("silo-b", resolved.Alert.Labels["host"]);
        Assert.Equal([("silo-a", AlertState.Firing), ("silo-b", AlertState.Resolved)],
            state.Alerts.Values.OrderBy(a => a.Labels["host"]).Select(a => (a.Labels["host"], a.State)).ToArray());
    }

    [Fact]
    public void A_clear_that_overtakes_the_signal_it_ends_keeps_it_from_firing_and_a_later_signal_fires()
    {
        var state = new AlertingState();
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddSeconds(5)), AlertRules.BuiltIn, Options, T0.AddSeconds(6)));
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.Drift, T0), AlertRules.BuiltIn, Options, T0.AddSeconds(6)));
        Assert.Empty(state.Alerts);

        Assert.Equal(AlertState.Firing, AlertBook.Observe(state, Signal(SignalKind.Drift, T0.AddSeconds(10)), AlertRules.BuiltIn, Options, T0.AddSeconds(10))[^1].To);
    }

    [Fact]
    public void Information_signals_fire_nothing()
    {
        var state = new AlertingState();
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.RetrainRequested, T0), AlertRules.BuiltIn, Options, T0));
        Assert.Empty(AlertBook.Observe(state, Signal(SignalKind.Decision, T0, severity: Severity.Info) with { Subject = "place" }, AlertRules.BuiltIn, Options, T0));
        Assert.Empty(state.Alerts);
    }

    [Fact]
    public void Resolved_alerts_are_listed_for_the_retention_then_forgotten()
    {
        var state = new AlertingState();
        AlertBook.Observe(state, Signal(SignalKind.Drift, T0), AlertRules.BuiltIn, Options, T0);
        AlertBook.Observe(state, Signal(SignalKind.DriftCleared, T0.AddMinutes(1)), AlertRules.BuiltIn, Options, T0.AddMinutes(1));
        AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddMinutes(1) + Options.ResolvedRetention - TimeSpan.FromSeconds(1));
        Assert.Single(state.Alerts);
        AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddMinutes(1) + Options.ResolvedRetention);
        Assert.Empty(state.Alerts);
    }

    [Fact]
    public void A_silenced_alert_still_changes_state_and_is_marked()
    {
        var state = new AlertingState { Silences = [new Silence("x1", ["model=churn", "severity=~crit.*"], T0, T0.AddHours(2), "deploy", "ana")] };
        var fired = AlertBook.Observe(state, Signal(SignalKind.Drift, T0), AlertRules.BuiltIn, Options, T0);
        Assert.True(fired[^1].Alert.Silenced);
        Assert.Equal(AlertState.Firing, fired[^1].To);

        AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddHours(2));
        Assert.False(Assert.Single(state.Alerts.Values).Silenced);
    }

    [Fact]
    public void Fingerprints_are_stable_and_order_free_and_differ_per_label_set()
    {
        var a = Fingerprints.Of(new Dictionary<string, string> { ["alertname"] = "X", ["model"] = "m" });
        var b = Fingerprints.Of(new Dictionary<string, string> { ["model"] = "m", ["alertname"] = "X" });
        var c = Fingerprints.Of(new Dictionary<string, string> { ["alertname"] = "X", ["model"] = "n" });
        // Name and value boundaries count: {ab: c} is not {a: bc}.
        var d = Fingerprints.Of(new Dictionary<string, string> { ["ab"] = "c" });
        var e = Fingerprints.Of(new Dictionary<string, string> { ["a"] = "bc" });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(d, e);
        Assert.Matches("^[0-9a-f]{16}$", a);
        Assert.Equal("cbf29ce484222325", Fingerprints.Of(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("model=churn", true)]
    [InlineData("model!=churn", false)]
    [InlineData("model=~ch.*", true)]
    [InlineData("model=~ch", false)]
    [InlineData("model!~ch", true)]
    [InlineData("host=", true)]
    [InlineData("version=\"2\"", true)]
    public void Silence_matchers_follow_Alertmanager(string matcher, bool matches) =>
        Assert.Equal(matches, SilenceMatchers.Matches([matcher], new Dictionary<string, string> { ["model"] = "churn", ["version"] = "2" }));

    [Theory]
    [InlineData("churn", "matcher 'churn': expected name=value, name!=value, name=~regex or name!~regex")]
    [InlineData("9x=1", "matcher '9x=1': '9x' is not a label name")]
    public void A_bad_matcher_is_refused_by_name(string matcher, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => SilenceMatchers.Parse(matcher)).Message);
}

/// <summary>Inhibition and silences that end: a dead host's alert mutes the probe alerts on it, and nothing muted is lost.</summary>
public sealed class AlertInhibitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertingOptions Options = new();

    private static FleetSignal Probe(string host, DateTimeOffset at) =>
        new(SignalKind.ProbeFailed, "churn", "2", at, $"host {host}: golden failing", new Dictionary<string, double> { ["consecutive_failures"] = 3 }, host);

    private static FleetSignal Host(SignalKind kind, string host, DateTimeOffset at) =>
        new(kind, FleetSignal.FleetModel, null, at, $"host {host}: gone", new Dictionary<string, double>(), host);

    [Fact]
    public void A_firing_host_alert_inhibits_the_probe_alerts_on_that_host_only_and_releases_them_when_it_resolves()
    {
        var state = new AlertingState();
        AlertBook.Observe(state, Host(SignalKind.HostUnhealthy, "b", T0), AlertRules.BuiltIn, Options, T0);
        var hostFiring = Assert.Single(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0 + AlertRules.HostFor));
        Assert.Equal(("FleetHostUnhealthy", AlertState.Firing), (hostFiring.Alert.Name, hostFiring.To));

        var now = T0.AddMinutes(2);
        var onB = AlertBook.Observe(state, Probe("b", now), AlertRules.BuiltIn, Options, now);
        var onA = AlertBook.Observe(state, Probe("a", now), AlertRules.BuiltIn, Options, now);
        Assert.Equal(hostFiring.Alert.Fingerprint, onB[^1].Alert.InhibitedBy);
        Assert.Equal(AlertState.Firing, onB[^1].To);
        Assert.Null(onA[^1].Alert.InhibitedBy);

        // Only the probe alert on host a is sent.
        var queued = Outbox.Enqueue(state, onB.Concat(onA), ["hook"], Options, now);
        Assert.Equal(["a"], Assert.Single(queued).Alerts.Select(a => a.Labels["host"]).ToArray());

        // The host reports again; the probe alert on b still fires: announced now.
        var later = now.AddMinutes(1);
        var released = AlertBook.Observe(state, Host(SignalKind.HostRecovered, "b", later), AlertRules.BuiltIn, Options, later);
        Assert.Equal([("FleetHostUnhealthy", AlertState.Resolved), ("FleetProbeFailed", AlertState.Firing)], released.Select(t => (t.Alert.Name, t.To)).ToArray());
        Assert.Null(released[1].Alert.InhibitedBy);
        Assert.Equal("b", released[1].Alert.Labels["host"]);
        Assert.Contains(Outbox.Enqueue(state, released, ["hook"], Options, later), n => n.Alerts.Any(a => a.Labels.GetValueOrDefault("host") == "b" && a.Name == "FleetProbeFailed"));
    }

    [Fact]
    public void An_alert_that_fired_while_silenced_is_announced_when_its_silence_ends()
    {
        var state = new AlertingState();
        state.Silences.Add(new Silence("x000001", ["model=churn"], T0, T0.AddMinutes(30), "deploy", "ops"));
        var fired = AlertBook.Observe(state, Probe("a", T0), AlertRules.BuiltIn, Options, T0);
        Assert.True(fired[^1].Alert.Silenced);
        Assert.Empty(Outbox.Enqueue(state, fired, ["hook"], Options, T0));

        Assert.Empty(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddMinutes(29)));
        var ended = Assert.Single(AlertBook.Step(state, AlertRules.BuiltIn, Options, T0.AddMinutes(30)));
        Assert.Equal((AlertState.Firing, AlertState.Firing, false), (ended.From, ended.To, ended.Alert.Silenced));
        Assert.Single(Outbox.Enqueue(state, [ended], ["hook"], Options, T0.AddMinutes(30)));
    }
}

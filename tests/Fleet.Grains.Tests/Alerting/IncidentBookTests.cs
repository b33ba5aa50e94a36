using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Models;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>Incidents: opened by critical alerts and mitigating decisions, joined by the model's events, acted on by people.</summary>
public sealed class IncidentBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertingOptions Options = new();

    private static void Feed(AlertingState state, FleetSignal signal, DateTimeOffset now)
    {
        state.Recent.Add(signal);
        IncidentBook.OnSignal(state, signal, Options, now);
        foreach (var t in AlertBook.Observe(state, signal, AlertRules.BuiltIn, Options, now))
        {
            IncidentBook.OnTransition(state, t, Options, now);
        }
    }

    private static FleetSignal Decision(string action, DateTimeOffset at, Severity severity = Severity.Critical, double failed = 0) =>
        new(SignalKind.Decision, "churn", "2", at, $"version 2 broke its output contract on 40% of answers", new Dictionary<string, double> { ["failed"] = failed },
            null, severity, null, action);

    [Fact]
    public void A_rollback_opens_an_incident_mitigated_by_itself_with_the_first_evidence_as_its_start()
    {
        var state = new AlertingState();
        Feed(state, new FleetSignal(SignalKind.EstimatedQualityDrop, "churn", "2", T0, "CBPE accuracy 0.71 < 0.90", []), T0);
        Assert.Empty(state.Incidents); // a warning alone opens none

        Feed(state, Decision("rollback", T0.AddSeconds(40)), T0.AddSeconds(40));

        var incident = Assert.Single(state.Incidents);
        Assert.Equal(("i000001", "churn", IncidentState.Mitigated, Severity.Critical), (incident.Id, incident.Model, incident.State, incident.Severity));
        Assert.Equal((T0, T0.AddSeconds(40), (DateTimeOffset?)T0.AddSeconds(40)), (incident.StartedAt, incident.DetectedAt, incident.MitigatedAt));
        Assert.Equal((TimeSpan.FromSeconds(40), (TimeSpan?)TimeSpan.FromSeconds(40)), (incident.TimeToDetect, incident.TimeToMitigate));
        Assert.Equal(["opened", "decision", "mitigated", "alert_firing"], incident.Timeline.Select(e => e.Kind).ToArray());
        Assert.Equal(["2"], incident.Versions);
        Assert.Single(incident.Alerts); // the FleetDecision alert joined it
    }

    [Fact]
    public void A_confirmed_drift_opens_an_incident_that_its_retraining_request_mitigates_and_later_signals_join()
    {
        var state = new AlertingState();
        Feed(state, new FleetSignal(SignalKind.Drift, "churn", "2", T0, "mean_radius drifted (KS 0.31)", []), T0);
        var opened = Assert.Single(state.Incidents);
        Assert.Equal((IncidentState.Open, "inputs or outputs of churn version 2 drifted from the reference"), (opened.State, opened.Title));

        Feed(state, new FleetSignal(SignalKind.RetrainRequested, "churn", "2", T0.AddSeconds(1), "drift trigger", []), T0.AddSeconds(1));
        Feed(state, new FleetSignal(SignalKind.Drift, "fraud", "1", T0.AddSeconds(2), "other model", []), T0.AddSeconds(2));
        Feed(state, new FleetSignal(SignalKind.DriftCleared, "churn", "2", T0.AddMinutes(30), "back to the reference", []), T0.AddMinutes(30));

        var churn = state.Incidents.Single(i => i.Model == "churn");
        Assert.Equal((IncidentState.Mitigated, (DateTimeOffset?)T0.AddSeconds(1)), (churn.State, churn.MitigatedAt));
        Assert.Equal(["opened", "alert_firing", "signal", "mitigated", "signal", "alert_resolved"], churn.Timeline.Select(e => e.Kind).ToArray());
        Assert.Equal(2, state.Incidents.Count); // fraud has its own
    }

    [Fact]
    public void People_ack_note_and_resolve_with_their_names_and_a_resolved_incident_takes_no_new_events()
    {
        var state = new AlertingState();
        Feed(state, Decision("failover", T0), T0);
        var id = Assert.Single(state.Incidents).Id;

        IncidentBook.Act(state, id, "ack", "ana", null, Options, T0.AddMinutes(1));
        IncidentBook.Act(state, id, "note", "ana", "host b lost its GPU", Options, T0.AddMinutes(2));
        var resolved = IncidentBook.Act(state, id, "resolve", "bo", "replaced", Options, T0.AddMinutes(3));

        Assert.Equal((IncidentState.Resolved, (DateTimeOffset?)T0.AddMinutes(1), (DateTimeOffset?)T0.AddMinutes(3)), (resolved.State, resolved.AcknowledgedAt, resolved.ResolvedAt));
        Assert.Equal([("ack", "ana", "acknowledged"), ("note", "ana", "note: host b lost its GPU"), ("resolve", "bo", "resolved: replaced")],
            resolved.Timeline.TakeLast(3).Select(e => (e.Kind, e.Actor, e.Summary)).ToArray());

        Feed(state, Decision("rollback", T0.AddMinutes(10)), T0.AddMinutes(10));
        Assert.Equal(2, state.Incidents.Count); // a new problem is a new incident
        Assert.Equal("i000002", state.Incidents[^1].Id);
    }

    [Theory]
    [InlineData("i000001", "shout", "ana", "hi", RegistryErrorKind.Invalid, "action: 'shout' is not one of ack, note, resolve")]
    [InlineData("i000001", "note", "ana", " ", RegistryErrorKind.Invalid, "text: a note needs words")]
    [InlineData("i000009", "ack", "ana", null, RegistryErrorKind.NotFound, "incident 'i000009' not found")]
    public void A_wrong_action_is_refused_by_name(string id, string action, string actor, string? text, RegistryErrorKind kind, string message)
    {
        var state = new AlertingState();
        Feed(state, Decision("rollback", T0), T0);
        var error = Assert.Throws<RegistryException>(() => IncidentBook.Act(state, id, action, actor, text, Options, T0));
        Assert.Equal((kind, message), (error.Kind, error.Message));
    }

    [Fact]
    public void A_routine_decision_opens_no_incident_and_a_failed_rollback_opens_one_left_unmitigated()
    {
        var state = new AlertingState();
        Feed(state, Decision("place", T0, Severity.Info), T0);
        Assert.Empty(state.Incidents);

        Feed(state, Decision("rollback", T0, failed: 1), T0);
        var incident = Assert.Single(state.Incidents);
        Assert.Equal((IncidentState.Open, (DateTimeOffset?)null), (incident.State, incident.MitigatedAt));
    }
}

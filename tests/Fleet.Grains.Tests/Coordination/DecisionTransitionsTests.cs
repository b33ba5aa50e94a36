using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Grains.Coordination;

namespace Fleet.Grains.Tests.Coordination;

public sealed class DecisionTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly CoordinatorOptions Options = new();
    private static readonly DecisionEvidence Evidence = new(DecisionPolicy.GoldenAllHosts, [], [], [], Now);

    private static ProposedDecision Rollback(string model = "m") => new(DecisionAction.Rollback, model, "2", "1", null, "version 2 fails", Evidence);

    [Fact]
    public void Recorded_decisions_are_numbered_and_only_finished_ones_age_out()
    {
        var state = new CoordinatorState();
        var first = DecisionTransitions.Record(state, Rollback(), Now, DecisionStatus.Pending);
        var skipped = DecisionTransitions.Record(state, Rollback() with { Action = DecisionAction.Skipped }, Now, DecisionStatus.Done, "held back");

        Assert.Equal(("d000001", DecisionStatus.Pending, (DateTimeOffset?)null), (first.Id, first.Status, first.CompletedAt));
        Assert.Equal(("d000002", "held back", (DateTimeOffset?)Now), (skipped.Id, skipped.Outcome, skipped.CompletedAt));
        for (var i = 0; i < DecisionTransitions.MaxDecisions - 1; i++)
        {
            DecisionTransitions.Record(state, Rollback(), Now, DecisionStatus.Done);
        }

        Assert.Equal(DecisionTransitions.MaxDecisions, state.Decisions.Count);
        Assert.Equal(["d000001", "d000003"], state.Decisions.Take(2).Select(d => d.Id).ToArray()); // the pending one stays, the oldest finished went
        Assert.Equal(1001, state.DecisionCount);
    }

    [Fact]
    public void A_proposal_that_passes_the_safety_rules_is_recorded_pending()
    {
        var state = new CoordinatorState();
        var decision = DecisionTransitions.Gate(state, Rollback(), null, Options, Now)!;

        Assert.Equal((DecisionAction.Rollback, DecisionStatus.Pending, (DecisionAction?)null), (decision.Action, decision.Status, decision.IntendedAction));
        Assert.Same(decision, Assert.Single(state.Decisions));
        Assert.Equal([decision], DecisionTransitions.Pending(state));
    }

    [Fact]
    public void A_held_back_proposal_is_recorded_skipped_and_done_with_what_it_would_have_done_then_suppressed()
    {
        var state = new CoordinatorState();
        var pin = new ModelPin("2", "release freeze", "ops", Now);

        var skipped = DecisionTransitions.Gate(state, Rollback(), pin, Options, Now)!;

        Assert.Equal((DecisionAction.Skipped, DecisionStatus.Done, (DecisionAction?)DecisionAction.Rollback), (skipped.Action, skipped.Status, skipped.IntendedAction));
        Assert.StartsWith("model is pinned to version 2 by ops (release freeze)", skipped.Reason, StringComparison.Ordinal);
        Assert.Null(DecisionTransitions.Gate(state, Rollback(), pin, Options, Now.AddMinutes(1))); // once per cool-down
        Assert.Single(state.Decisions);
        Assert.Empty(DecisionTransitions.Pending(state));
    }

    [Fact]
    public void A_replica_move_is_recorded_pending_and_shifts_the_load()
    {
        var state = new CoordinatorState();
        ReplicaEndpoint[] current = [new("a", "http://a/"), new("b", "http://b/")];
        var load = DecisionTransitions.Load([Route("m", current), Route("n", [new("a", "http://a/")]), Route("o", null)]);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, load);
        var failover = new ProposedDecision(DecisionAction.Failover, "m", "1", "1", "a", "host a is gone", Evidence,
            Replicas: [new("b", "http://b/"), new("c", "http://c/")]);

        var decision = DecisionTransitions.RecordPlacement(state, failover, current, load, Options, Now)!;

        Assert.Equal((DecisionStatus.Pending, (string?)null), (decision.Status, decision.Outcome));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, load);
    }

    [Fact]
    public void Degraded_is_recorded_done_once_per_cool_down_and_moves_no_load()
    {
        var state = new CoordinatorState();
        var load = new Dictionary<string, int> { ["a"] = 1 };
        var degraded = new ProposedDecision(DecisionAction.Degraded, "m", "1", "1", null, "no usable host", Evidence);

        var first = DecisionTransitions.RecordPlacement(state, degraded, [new("a", null)], load, Options, Now)!;

        Assert.Equal((DecisionStatus.Done, "no placement change: its hosts answer through their fallback chain"), (first.Status, first.Outcome));
        Assert.Null(DecisionTransitions.RecordPlacement(state, degraded, [new("a", null)], load, Options, Now.AddMinutes(4)));
        Assert.Equal("d000002", DecisionTransitions.RecordPlacement(state, degraded, [new("a", null)], load, Options, Now.AddMinutes(5).AddSeconds(1))!.Id);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, load);
    }

    [Fact]
    public void Completing_a_pending_decision_replaces_it_in_place()
    {
        var state = new CoordinatorState();
        var pending = DecisionTransitions.Record(state, Rollback(), Now, DecisionStatus.Pending);
        DecisionTransitions.Record(state, Rollback("n"), Now, DecisionStatus.Pending);

        var failed = DecisionTransitions.Complete(state, pending, DecisionStatus.Failed, "model 'm' not found", Now.AddSeconds(2));

        Assert.Equal((DecisionStatus.Failed, "model 'm' not found", (DateTimeOffset?)Now.AddSeconds(2)), (failed.Status, failed.Outcome, failed.CompletedAt));
        Assert.Same(failed, state.Decisions[0]);
        Assert.Equal(["d000002"], DecisionTransitions.Pending(state).Select(d => d.Id).ToArray());
    }

    [Fact]
    public void Probe_transitions_become_signals_and_signals_are_bounded()
    {
        var before = FleetViewTests.Report("a", Now, [FleetViewTests.Live("m", "1"), FleetViewTests.Live("m", "2", ProbeVerdict.Failing)]);
        var after = FleetViewTests.Report("a", Now.AddSeconds(5), [FleetViewTests.Live("m", "1", ProbeVerdict.Failing), FleetViewTests.Live("m", "2")]);

        var signals = DecisionTransitions.ProbeTransitions(before, after);

        Assert.Equal([(SignalKind.ProbeFailed, "1", "host a: golden failing for 3 consecutive probes: differs"),
            (SignalKind.ProbeRecovered, "2", "host a: probes pass again")], signals.Select(s => (s.Kind, s.Version!, s.Reason)).ToArray());
        Assert.All(signals, s => Assert.Equal("a", s.Host)); // one alert per host, resolved by that host's recovery
        Assert.Equal(Fleet.Abstractions.Alerting.Severity.Critical, signals[0].EffectiveSeverity); // golden: a page

        // Only a soft check (latency) failing: a warning.
        var slow = FleetViewTests.Report("a", Now.AddSeconds(10), [FleetViewTests.Live("m", "1", ProbeVerdict.Failing) with { Failing = ["latency"] }, FleetViewTests.Live("m", "2")]);
        Assert.Equal(Fleet.Abstractions.Alerting.Severity.Warning, Assert.Single(DecisionTransitions.ProbeTransitions(null, slow)).EffectiveSeverity);
        Assert.Empty(DecisionTransitions.ProbeTransitions(after, after));
        Assert.Single(DecisionTransitions.ProbeTransitions(null, after)); // a first report that fails is a transition too

        var state = new CoordinatorState();
        DecisionTransitions.AddSignals(state, Enumerable.Range(0, DecisionTransitions.MaxSignals + 2).Select(i => signals[0] with { Reason = $"r{i}" }));
        Assert.Equal((DecisionTransitions.MaxSignals, "r2"), (state.Signals.Count, state.Signals[0].Reason));
        Assert.Equal(("s000003", "s001002"), (state.Signals[0].Id, state.Signals[^1].Id)); // numbered as recorded
    }

    [Fact]
    public void A_completed_decision_becomes_a_signal_whose_severity_follows_its_action()
    {
        var evidence = new DecisionEvidence("output_violations", new Dictionary<string, double> { ["violation_rate"] = 0.4 }, [], [], Now);
        Decision Done(DecisionAction action, DecisionStatus status = DecisionStatus.Done) =>
            new("d000009", Now, "m", action, "2", "1", null, "broken answers", evidence, status, "rolled back", Now.AddSeconds(1), null);

        var rollback = DecisionTransitions.SignalOf(Done(DecisionAction.Rollback));
        Assert.Equal((SignalKind.Decision, "rollback", "2", Now.AddSeconds(1), Fleet.Abstractions.Alerting.Severity.Critical),
            (rollback.Kind, rollback.Subject, rollback.Version, rollback.At, rollback.Severity));
        Assert.Equal("broken answers [decision d000009, done: rolled back]", rollback.Reason);
        Assert.Equal((0.4, 0.0), (rollback.Evidence["violation_rate"], rollback.Evidence["failed"]));
        Assert.Equal(1.0, DecisionTransitions.SignalOf(Done(DecisionAction.Rollback, DecisionStatus.Failed)).Evidence["failed"]);
        Assert.Equal(Fleet.Abstractions.Alerting.Severity.Warning, DecisionTransitions.SignalOf(Done(DecisionAction.Skipped)).Severity);
        Assert.Equal(Fleet.Abstractions.Alerting.Severity.Info, DecisionTransitions.SignalOf(Done(DecisionAction.Place)).Severity);
    }

    [Fact]
    public void Recent_quality_drops_are_those_within_the_action_window()
    {
        var state = new CoordinatorState();
        DecisionTransitions.AddSignals(state, [
            new FleetSignal(SignalKind.QualityDrop, "m", "1", Now.AddHours(-1), "in", []),
            new FleetSignal(SignalKind.QualityDrop, "m", "1", Now.AddHours(-1).AddTicks(-1), "too old", []),
            new FleetSignal(SignalKind.QualityDrop, "m", null, Now, "no version", []),
            new FleetSignal(SignalKind.Drift, "m", "1", Now, "not quality", []),
        ]);

        Assert.Equal(["in"], DecisionTransitions.RecentQualityDrops(state, Options, Now).Select(s => s.Reason).ToArray());
    }

    [Fact]
    public void Applying_texts_say_what_happened()
    {
        var decision = new Decision("d000009", Now, "m", DecisionAction.Reload, "2", "2", "b", "fails on b", Evidence, DecisionStatus.Pending, null, null, null);

        Assert.Null(DecisionTransitions.RollbackAlreadyDone(decision, "2"));
        Assert.Equal("no-op: version 2 is no longer live (live: none)", DecisionTransitions.RollbackAlreadyDone(decision, null));
        Assert.Equal("fails on b [decision d000009]", DecisionTransitions.AuditReason(decision));
        Assert.Equal(new HostCommand("d000009", "reload", "m", "2", "fails on b", Now), DecisionTransitions.ReloadCommand(decision));
        Assert.Equal("reload already queued for host b", DecisionTransitions.Reloaded(decision, queued: false));
        Assert.Equal("rolled back from 2 to 1; version 2 quarantined", DecisionTransitions.RolledBack(new LifecycleChange("m", "1", "2")));
        Assert.Equal("replicas: a (route revision 4 pushed to every silo)",
            DecisionTransitions.Placed(Route("m", [new("a", "http://a/")]) with { Revision = 4 }));
    }

    private static ModelRoute Route(string model, ReplicaEndpoint[]? replicas) =>
        new(model, 1, ModelTask.Classification, "1", null, null, null, null, null, ModelConfig.Default, replicas);
}

using Fleet.Abstractions.Coordination;
using Fleet.Grains.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;

namespace Fleet.Grains.Tests.Coordination;

/// <summary>The coordinator's policy and safety rules, as pure functions.</summary>
public sealed class DecisionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CoordinatorOptions Options = new() { ViolationMinSamples = 100, ViolationRate = 0.05 };

    private static HostEvidence Host(string id, ProbeVerdict verdict, ProbeVerdict? fallback = ProbeVerdict.Passing) =>
        new(id, verdict, verdict == ProbeVerdict.Failing ? ["golden"] : [], verdict == ProbeVerdict.Failing ? "outputs differ" : null,
            verdict == ProbeVerdict.Failing ? 3 : 0, 3, fallback);

    private static ModelEvidence Evidence(string? lastKnownGood = "1", ViolationEvidence? violations = null, FleetSignal? drop = null, params HostEvidence[] hosts) =>
        new("m", "2", lastKnownGood, hosts, violations, drop, Now);

    [Fact]
    public void Probes_failing_on_every_host_roll_back_to_the_last_known_good()
    {
        var proposals = DecisionPolicy.Propose(Evidence(hosts: [Host("a", ProbeVerdict.Failing), Host("b", ProbeVerdict.Failing)]), Options);

        var rollback = Assert.Single(proposals);
        Assert.Equal((DecisionAction.Rollback, "2", "1", (string?)null), (rollback.Action, rollback.FromVersion, rollback.ToVersion, rollback.Host));
        Assert.Equal("version 2 fails its golden probe on all 2 host(s) that serve it (a: outputs differ); rolling back to the last-known-good version 1 and quarantining 2", rollback.Reason);
        Assert.Equal(DecisionPolicy.GoldenAllHosts, rollback.Evidence.Trigger);
        Assert.Equal(new Dictionary<string, double> { ["hosts_serving"] = 2, ["hosts_failing"] = 2, ["consecutive_failures"] = 3 }, rollback.Evidence.Observed);
        Assert.Equal(new Dictionary<string, double> { ["failure_threshold"] = 3 }, rollback.Evidence.Thresholds);
        Assert.Equal("host a: version 2 golden failing for 3 consecutive probes: outputs differ", rollback.Evidence.Signals[0]);
    }

    [Fact]
    public void A_live_version_that_failed_to_load_on_every_reporting_host_is_rolled_back_and_not_while_one_still_may_load_it()
    {
        LoadFailureEvidence[] failures = [new("a", "checksum mismatch"), new("b", "checksum mismatch")];
        var rollback = Assert.Single(DecisionPolicy.Propose(Evidence() with { LoadFailures = failures, FreshHosts = 2 }, Options));
        Assert.Equal((DecisionAction.Rollback, "2", "1"), (rollback.Action, rollback.FromVersion, rollback.ToVersion));
        Assert.Equal("version 2 failed to load on all 2 host(s) (a: checksum mismatch); rolling back to the last-known-good version 1 and quarantining 2", rollback.Reason);
        Assert.Equal(DecisionPolicy.LoadFailedAllHosts, rollback.Evidence.Trigger);
        Assert.Equal(new Dictionary<string, double> { ["hosts_reporting"] = 2, ["hosts_failed_to_load"] = 2, ["hosts_serving"] = 0 }, rollback.Evidence.Observed);

        // A third host has not failed (it may still be loading), or one host serves it: no decision yet.
        Assert.Empty(DecisionPolicy.Propose(Evidence() with { LoadFailures = failures, FreshHosts = 3 }, Options));
        Assert.Empty(DecisionPolicy.Propose(Evidence(hosts: [Host("c", ProbeVerdict.Passing)]) with { LoadFailures = failures, FreshHosts = 3 }, Options));
        // Without a last-known-good the proposal says why nothing happens.
        Assert.Equal(DecisionAction.Skipped, Assert.Single(DecisionPolicy.Propose(Evidence(lastKnownGood: null) with { LoadFailures = failures, FreshHosts = 2 }, Options)).Action);
    }

    [Fact]
    public void Probes_failing_on_some_hosts_reload_there()
    {
        var proposals = DecisionPolicy.Propose(Evidence(hosts: [Host("a", ProbeVerdict.Passing), Host("b", ProbeVerdict.Failing), Host("c", ProbeVerdict.Unknown)]), Options);

        var reload = Assert.Single(proposals);
        Assert.Equal((DecisionAction.Reload, "2", "2", "b"), (reload.Action, reload.FromVersion, reload.ToVersion, reload.Host));
        Assert.Equal("version 2 fails its golden probe on host b only (1 of 3 hosts): outputs differ; that host reloads it from the verified artifact", reload.Reason);
        Assert.Equal(["host a: version 2 passing", "host b: version 2 golden failing for 3 consecutive probes: outputs differ", "host c: version 2 unknown"], reload.Evidence.Signals);
    }

    [Fact]
    public void Nothing_is_proposed_while_probes_pass_and_the_rate_is_low_or_the_sample_small()
    {
        Assert.Empty(DecisionPolicy.Propose(Evidence(hosts: [Host("a", ProbeVerdict.Passing)]), Options));
        Assert.Empty(DecisionPolicy.Propose(Evidence(violations: new ViolationEvidence(96, 4, new Dictionary<string, long> { ["last-known-good"] = 4 }, TimeSpan.FromMinutes(5))), Options));
        Assert.Empty(DecisionPolicy.Propose(Evidence(violations: new ViolationEvidence(0, 99, new Dictionary<string, long> { ["none"] = 99 }, TimeSpan.FromMinutes(5))), Options));
        Assert.Empty(DecisionPolicy.Propose(Evidence(), Options)); // no host serves it yet: no probe evidence
    }

    [Fact]
    public void A_broken_answer_rate_at_the_threshold_over_the_minimum_sample_rolls_back()
    {
        var violations = new ViolationEvidence(95, 5, new Dictionary<string, long> { ["none"] = 1, ["last-known-good"] = 4 }, TimeSpan.FromMinutes(5));

        var rollback = Assert.Single(DecisionPolicy.Propose(Evidence(violations: violations), Options));

        Assert.Equal((DecisionAction.Rollback, "1"), (rollback.Action, rollback.ToVersion));
        Assert.Equal("5 of 100 answers of version 2 in the last 5 min broke its output contract or failed (5.0 % ≥ 5.0 % over ≥ 100 answers); " +
            "rolling back to the last-known-good version 1 and quarantining 2", rollback.Reason);
        Assert.Equal(new Dictionary<string, double> { ["violation_rate"] = 0.05, ["broken"] = 5, ["served"] = 95, ["attempts"] = 100, ["window_seconds"] = 300 }, rollback.Evidence.Observed);
        Assert.Equal(new Dictionary<string, double> { ["violation_rate"] = 0.05, ["min_samples"] = 100 }, rollback.Evidence.Thresholds);
        Assert.Equal(["version 2 answers broken in the last 5 min, by the fallback step that answered instead: last-known-good=4, none=1"], rollback.Evidence.Signals);
    }

    [Fact]
    public void A_confirmed_quality_drop_rolls_back_unless_turned_off()
    {
        var drop = new FleetSignal(SignalKind.QualityDrop, "m", "2", Now, "accuracy 0.71 vs reference 0.93", new Dictionary<string, double> { ["labels_joined"] = 200 });

        var rollback = Assert.Single(DecisionPolicy.Propose(Evidence(drop: drop), Options));
        Assert.Equal(DecisionPolicy.QualityDrop, rollback.Evidence.Trigger);
        Assert.StartsWith("confirmed quality drop on version 2: accuracy 0.71 vs reference 0.93; rolling back", rollback.Reason);
        Assert.Empty(DecisionPolicy.Propose(Evidence(drop: drop), new CoordinatorOptions { RollbackOnQualityDrop = false }));
    }

    [Fact]
    public void No_last_known_good_or_one_failing_on_the_same_hosts_makes_a_skipped_proposal()
    {
        var none = Assert.Single(DecisionPolicy.Propose(Evidence(lastKnownGood: null, hosts: [Host("a", ProbeVerdict.Failing)]), Options));
        Assert.Equal((DecisionAction.Skipped, DecisionAction.Rollback), (none.Action, none.IntendedAction));
        Assert.EndsWith("; no rollback: there is no last-known-good version (no earlier live version that is not quarantined and has a golden set)", none.Reason);

        var brokenHost = Assert.Single(DecisionPolicy.Propose(Evidence(hosts: [Host("a", ProbeVerdict.Failing, fallback: ProbeVerdict.Failing)]), Options));
        Assert.Equal(DecisionAction.Skipped, brokenHost.Action);
        Assert.EndsWith("; no rollback: the last-known-good version 1 fails its probes on the same hosts, so the hosts look broken, not the version", brokenHost.Reason);
    }

    private static Decision Past(DecisionAction action, TimeSpan ago, string model = "m", string? host = null, DecisionAction? intended = null) =>
        new($"d{ago.TotalSeconds}", Now - ago, model, action, "2", "1", host, "r", new DecisionEvidence("t", [], [], [], Now - ago), DecisionStatus.Done, null, Now - ago, intended);

    private static ProposedDecision Proposal(DecisionAction action = DecisionAction.Rollback, string? host = null) =>
        new(action, "m", "2", action == DecisionAction.Reload ? "2" : "1", host, "version 2 is bad", new DecisionEvidence("t", [], [], [], Now));

    [Fact]
    public void A_clean_proposal_proceeds()
    {
        Assert.Equal((GateOutcome.Proceed, (string?)null), DecisionSafety.Check(Proposal(), [Past(DecisionAction.Rollback, TimeSpan.FromMinutes(6))], null, Options, Now));
    }

    [Fact]
    public void The_same_action_on_the_same_model_cools_down()
    {
        var (outcome, reason) = DecisionSafety.Check(Proposal(), [Past(DecisionAction.Rollback, TimeSpan.FromMinutes(4))], null, Options, Now);

        Assert.Equal(GateOutcome.Suppress, outcome);
        Assert.Equal("cooling down: decision d240 (rollback) at 2026-03-01T11:56:00.0000000+00:00, cool-down 5 min", reason);
        // Another model, or a reload on another host, is not cooling down.
        Assert.Equal(GateOutcome.Proceed, DecisionSafety.Check(Proposal(), [Past(DecisionAction.Rollback, TimeSpan.FromMinutes(1), model: "other")], null, Options, Now).Outcome);
        Assert.Equal(GateOutcome.Proceed, DecisionSafety.Check(Proposal(DecisionAction.Reload, "b"), [Past(DecisionAction.Reload, TimeSpan.FromMinutes(1), host: "a")], null, Options, Now).Outcome);
        Assert.Equal(GateOutcome.Suppress, DecisionSafety.Check(Proposal(DecisionAction.Reload, "a"), [Past(DecisionAction.Reload, TimeSpan.FromMinutes(1), host: "a")], null, Options, Now).Outcome);
    }

    [Fact]
    public void A_pinned_model_is_never_rolled_back_and_the_skip_is_recorded_once_per_cool_down()
    {
        var pin = new ModelPin("2", "incident 42", "alice", Now.AddHours(-1));

        var (outcome, reason) = DecisionSafety.Check(Proposal(), [], pin, Options, Now);

        Assert.Equal(GateOutcome.Skip, outcome);
        Assert.Equal("model is pinned to version 2 by alice (incident 42), so automation leaves it alone; would have rolled back: version 2 is bad", reason);
        Assert.Equal(GateOutcome.Suppress, DecisionSafety.Check(Proposal(), [Past(DecisionAction.Skipped, TimeSpan.FromMinutes(1), intended: DecisionAction.Rollback)], pin, Options, Now).Outcome);
        // A pin does not stop a reload: it moves nothing.
        Assert.Equal(GateOutcome.Proceed, DecisionSafety.Check(Proposal(DecisionAction.Reload, "a"), [], pin, Options, Now).Outcome);
    }

    [Fact]
    public void The_cap_per_window_stops_a_rollback_storm()
    {
        var history = Enumerable.Range(1, 5).Select(i => Past(DecisionAction.Rollback, TimeSpan.FromMinutes(10 * i), model: $"m{i}")).ToList();

        var (outcome, reason) = DecisionSafety.Check(Proposal(), history, null, Options, Now);

        Assert.Equal(GateOutcome.Skip, outcome);
        Assert.Equal("cap reached: 5 rollback decisions in the last 60 min (Fleet:Coordinator:MaxActionsPerWindow = 5); would have: version 2 is bad", reason);
        history.RemoveAt(4); // the one 50 minutes ago stays in the window; the oldest leaves it after an hour
        Assert.Equal(GateOutcome.Proceed, DecisionSafety.Check(Proposal(), history, null, Options, Now).Outcome);
    }

    [Fact]
    public void A_skipped_proposal_is_recorded_once_per_cool_down()
    {
        var skipped = Proposal(DecisionAction.Skipped) with { IntendedAction = DecisionAction.Rollback };

        Assert.Equal(GateOutcome.Skip, DecisionSafety.Check(skipped, [], null, Options, Now).Outcome);
        Assert.Equal(GateOutcome.Suppress, DecisionSafety.Check(skipped, [Past(DecisionAction.Skipped, TimeSpan.FromMinutes(2), intended: DecisionAction.Rollback)], null, Options, Now).Outcome);
    }
}

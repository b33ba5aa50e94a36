using Fleet.Abstractions.Coordination;
using Fleet.Grains.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Routing;

namespace Fleet.Grains.Tests.Coordination;

public sealed class ReplicaPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static PlacementHost Host(string id, HostStatus status = HostStatus.Healthy, int load = 0, string reason = "") =>
        new(id, $"http://127.0.0.1:{5000 + id[^1]}/", status, reason, load, Gone: reason.StartsWith("gone", StringComparison.Ordinal));

    private static ReplicaEndpoint Endpoint(string id) => new(id, $"http://127.0.0.1:{5000 + id[^1]}/");

    private static string[] Hosts(ProposedDecision decision) => [.. decision.Replicas!.Select(r => r.Host).Order(StringComparer.Ordinal)];

    [Fact]
    public void Not_placed_stays_on_every_host_while_there_are_no_more_usable_hosts_than_the_factor()
    {
        Assert.Null(ReplicaPlacement.Decide("m", "1", null, 2, [Host("a"), Host("b")], Now));
        Assert.Null(ReplicaPlacement.Decide("m", "1", null, 1, [Host("a")], Now));
        // A dead host does not count: every host left serves it already.
        Assert.Null(ReplicaPlacement.Decide("m", "1", null, 2, [Host("a"), Host("b"), Host("c", HostStatus.Unhealthy, reason: "gone: membership declared silo 'c' dead")], Now));
        Assert.Null(ReplicaPlacement.Decide("m", "1", null, 0, [Host("a"), Host("b"), Host("c")], Now));
    }

    [Fact]
    public void Three_hosts_and_factor_two_spread_on_the_two_least_loaded_healthy_hosts()
    {
        var decision = ReplicaPlacement.Decide("m", "1", null, 2, [Host("a", load: 3), Host("b", load: 0), Host("c", load: 1)], Now)!;

        Assert.Equal((DecisionAction.Place, "1", "1", (string?)null), (decision.Action, decision.FromVersion, decision.ToVersion, decision.Host));
        Assert.Equal(["b", "c"], Hosts(decision));
        Assert.Equal(ReplicaPlacement.Spread, decision.Evidence.Trigger);
        Assert.Equal(2, decision.Evidence.Thresholds["replication_factor"]);
        Assert.Equal((3.0, 2.0, 3.0), (decision.Evidence.Observed["replicas_before"], decision.Evidence.Observed["replicas_after"], decision.Evidence.Observed["usable_hosts"]));
        Assert.Equal("m placed on b, c (2 of 3 usable hosts; was every host)", decision.Reason);
    }

    [Fact]
    public void Healthy_hosts_come_before_degraded_ones()
    {
        var decision = ReplicaPlacement.Decide("m", "1", null, 2, [Host("a", HostStatus.Degraded), Host("b", load: 5), Host("c", load: 5)], Now)!;
        Assert.Equal(["b", "c"], Hosts(decision));
    }

    [Fact]
    public void A_dead_replica_host_fails_over_to_a_usable_host_and_the_survivor_stays()
    {
        var gone = "gone: membership declared silo 'a' dead (last report 2 s ago)";
        var decision = ReplicaPlacement.Decide("m", "3", [Endpoint("a"), Endpoint("b")], 2,
            [Host("a", HostStatus.Unhealthy, reason: gone), Host("b", load: 1), Host("c")], Now)!;

        Assert.Equal((DecisionAction.Failover, "a"), (decision.Action, decision.Host));
        Assert.Equal(["b", "c"], Hosts(decision));
        Assert.Equal(ReplicaPlacement.HostGone, decision.Evidence.Trigger);
        Assert.Equal($"host a is {gone}: replicas of m moved from a, b to b, c", decision.Reason);
        Assert.Contains($"host a: unhealthy ({gone}), 0 placed model(s), url http://127.0.0.1:5097/", decision.Evidence.Signals);
    }

    [Fact]
    public void An_unhealthy_replica_host_fails_over_and_says_why()
    {
        var decision = ReplicaPlacement.Decide("m", "3", [Endpoint("a"), Endpoint("b")], 2,
            [Host("a", HostStatus.Unhealthy, reason: "stale: no probe report for 4 s"), Host("b"), Host("c")], Now)!;

        Assert.Equal(ReplicaPlacement.HostUnhealthy, decision.Evidence.Trigger);
        Assert.Equal("host a is unhealthy: stale: no probe report for 4 s: replicas of m moved from a, b to b, c", decision.Reason);
    }

    [Fact]
    public void With_no_spare_host_the_failover_keeps_what_is_usable_and_says_it_is_short()
    {
        var decision = ReplicaPlacement.Decide("m", "1", [Endpoint("a"), Endpoint("b")], 2,
            [Host("a", HostStatus.Unhealthy, reason: "gone: x"), Host("b")], Now)!;
        Assert.Equal(["b"], Hosts(decision));
        Assert.EndsWith("to b (only 1 usable host for a replication factor of 2)", decision.Reason);
    }

    [Fact]
    public void A_stable_placement_does_not_change_and_a_recovered_host_does_not_pull_replicas_back()
    {
        Assert.Null(ReplicaPlacement.Decide("m", "1", [Endpoint("b"), Endpoint("c")], 2, [Host("a"), Host("b"), Host("c")], Now));
        Assert.Null(ReplicaPlacement.Decide("m", "1", [Endpoint("c"), Endpoint("b")], 2, [Host("a"), Host("b"), Host("c")], Now));
    }

    [Fact]
    public void A_changed_factor_grows_or_trims_the_placement()
    {
        var grown = ReplicaPlacement.Decide("m", "1", [Endpoint("b")], 3, [Host("a"), Host("b"), Host("c")], Now)!;
        Assert.Equal(DecisionAction.Place, grown.Action);
        Assert.Equal(["a", "b", "c"], Hosts(grown));

        var trimmed = ReplicaPlacement.Decide("m", "1", [Endpoint("a"), Endpoint("b"), Endpoint("c")], 1, [Host("a"), Host("b"), Host("c")], Now)!;
        Assert.Equal(["a"], Hosts(trimmed));
    }

    [Fact]
    public void A_host_that_moved_to_another_url_is_updated()
    {
        var moved = ReplicaPlacement.Decide("m", "1", [new ReplicaEndpoint("a", "http://127.0.0.1:1/"), Endpoint("b")], 2, [Host("a"), Host("b"), Host("c")], Now)!;
        Assert.Equal(DecisionAction.Place, moved.Action);
        Assert.Equal("http://127.0.0.1:5097/", moved.Replicas!.Single(r => r.Host == "a").Url);
    }

    [Fact]
    public void No_usable_host_left_reports_the_model_degraded_without_moving_it()
    {
        var decision = ReplicaPlacement.Decide("m", "1", [Endpoint("a"), Endpoint("b")], 2,
            [Host("a", HostStatus.Unhealthy, reason: "golden failing"), Host("b", HostStatus.Unhealthy, reason: "gone: dead")], Now)!;

        Assert.Equal((DecisionAction.Degraded, (ReplicaEndpoint[]?)null), (decision.Action, decision.Replicas));
        Assert.Equal(ReplicaPlacement.NoHealthyHost, decision.Evidence.Trigger);
        Assert.StartsWith("no usable host is left for m (replicas on a, b: a golden failing; b gone: dead)", decision.Reason);
    }

    [Fact]
    public void A_host_without_a_url_cannot_take_replicas()
    {
        var hosts = new[] { Host("a"), Host("b"), new PlacementHost("c", null, HostStatus.Healthy, "", 0) };
        var decision = ReplicaPlacement.Decide("m", "1", [Endpoint("a"), Endpoint("b")], 3, hosts, Now);
        Assert.Null(decision);
    }

    [Fact]
    public void Different_models_spread_over_hosts_with_equal_load()
    {
        var hosts = new[] { Host("a"), Host("b"), Host("c") };
        var picks = Enumerable.Range(0, 30).Select(i => ReplicaPlacement.Decide($"model-{i}", "1", null, 1, hosts, Now)!.Replicas![0].Host).ToArray();
        Assert.Equal(3, picks.Distinct().Count());
    }
}

using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Grains.Coordination;
using Orleans.Runtime;

namespace Fleet.Grains.Tests.Coordination;

public sealed class FleetViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly CoordinatorOptions Options = new();

    internal static HostReport Report(string id, DateTimeOffset at, LoadedVersion[] versions, FailedLoad[]? failed = null,
        HostStatus status = HostStatus.Healthy, string? url = "http://h/") => new(
        id, "10.0.0.1:11111@1", at.AddMinutes(-1), at, status, status == HostStatus.Healthy ? [] : [$"host {id} is {status}"], "CPU", null,
        new HostMemory(100, 10, 1000), versions, [], [], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3, 2, failed, url);

    internal static LoadedVersion Live(string model, string version, ProbeVerdict verdict = ProbeVerdict.Passing, VersionRole role = VersionRole.Live) =>
        new(model, version, role, new string('b', 64), "CPU", verdict, verdict == ProbeVerdict.Failing ? ["golden"] : [],
            verdict == ProbeVerdict.Failing ? "differs" : null, verdict == ProbeVerdict.Failing ? 3 : 0, 0.5, 0.5, Now);

    private static Dictionary<string, SiloStatus> Members(params string[] active) => active.ToDictionary(a => a, _ => SiloStatus.Active);

    private static ModelRoute Route(string model, string live, ReplicaEndpoint[]? replicas = null) =>
        new(model, 1, ModelTask.Classification, live, null, null, "1", null, null, ModelConfig.Default, replicas);

    [Fact]
    public void Record_returns_the_report_it_replaces()
    {
        var view = new FleetView(Options);
        var first = Report("a", Now, [Live("m", "1")]);
        Assert.Null(view.Record(first));
        Assert.Same(first, view.Record(Report("a", Now.AddSeconds(5), [Live("m", "1")])));
        Assert.Equal(Now.AddSeconds(5), Assert.Single(view.Reports).At);
    }

    [Fact]
    public void A_failed_load_is_kept_for_the_cool_down_after_it_was_last_reported_and_dropped_once_live()
    {
        var view = new FleetView(Options);
        view.Record(Report("a", Now, [], [new FailedLoad("m", "2", "bad onnx")]));
        view.Record(Report("b", Now, [Live("m", "1")]));
        var fresh = view.Fresh(Members("a", "b"), Now);
        Assert.True(view.FailedToLoad(fresh, "m"));
        Assert.Equal(["m"], view.Models(fresh, []));

        // The host no longer tries (and reports) the load: still remembered within the cool-down.
        view.Record(Report("a", Now.AddMinutes(4), []));
        Assert.True(view.FailedToLoad(view.Fresh(Members("a", "b"), Now.AddMinutes(4)), "m"));
        view.Record(Report("a", Now.AddMinutes(5).AddSeconds(1), []));
        Assert.False(view.FailedToLoad(view.Fresh(Members("a", "b"), Now.AddMinutes(5).AddSeconds(1)), "m"));

        view.Record(Report("a", Now.AddMinutes(6), [], [new FailedLoad("m", "2", "bad onnx")]));
        view.Record(Report("a", Now.AddMinutes(6).AddSeconds(5), [Live("m", "2")]));
        Assert.False(view.FailedToLoad(view.Fresh(Members("a"), Now.AddMinutes(6).AddSeconds(5)), "m"));
    }

    [Fact]
    public void Fresh_reports_are_from_active_members_within_the_staleness()
    {
        var view = new FleetView(Options);
        view.Record(Report("a", Now, [Live("m", "1")]));
        view.Record(Report("b", Now, [Live("m", "1")]));
        view.Record(Report("c", Now.AddSeconds(-21), [Live("m", "1")])); // 3 intervals + 1 timeout = 20 s
        var members = new Dictionary<string, SiloStatus> { ["a"] = SiloStatus.Active, ["b"] = SiloStatus.Dead, ["c"] = SiloStatus.Active };

        Assert.Equal(["a"], view.Fresh(members, Now).Select(r => r.Id).ToArray());
    }

    [Fact]
    public void Models_are_the_live_ones_the_failed_loads_and_the_quality_drops_once_each_in_order()
    {
        var view = new FleetView(Options);
        view.Record(Report("a", Now, [Live("z", "1"), Live("b", "1"), Live("s", "2", role: VersionRole.Fallback)], [new FailedLoad("c", "1", null)]));
        var drop = new FleetSignal(SignalKind.QualityDrop, "q", "3", Now, "worse", []);

        Assert.Equal(["b", "c", "q", "z"], view.Models(view.Fresh(Members("a"), Now), [drop, drop with { Model = "z" }]));
        Assert.Equal("1", FleetView.ReportedLive(view.Fresh(Members("a"), Now), "z"));
        Assert.Null(FleetView.ReportedLive(view.Fresh(Members("a"), Now), "s"));
    }

    [Fact]
    public void Evidence_counts_the_hosts_serving_live_the_placed_hosts_and_the_failed_loads()
    {
        var view = new FleetView(Options);
        view.Record(Report("a", Now, [Live("m", "2", ProbeVerdict.Failing), Live("m", "1", ProbeVerdict.Passing, VersionRole.Fallback)]));
        view.Record(Report("b", Now, [Live("m", "1")], [new FailedLoad("m", "2", "out of memory")]));
        view.Record(Report("c", Now, [Live("m", "1")]));
        var fresh = view.Fresh(Members("a", "b", "c"), Now);
        var violations = new ViolationEvidence(90, 10, new Dictionary<string, long> { ["previous"] = 10 }, TimeSpan.FromMinutes(5));
        FleetSignal[] drops = [new(SignalKind.QualityDrop, "m", "1", Now, "old", []), new(SignalKind.QualityDrop, "m", "2", Now, "first", []),
            new(SignalKind.QualityDrop, "m", "2", Now, "last", [])];

        var evidence = view.Evidence("m", "2", "1", [new ReplicaEndpoint("a", "http://h/")], fresh, violations, drops, Now);

        var host = Assert.Single(evidence.Hosts);
        Assert.Equal(("a", ProbeVerdict.Failing, ProbeVerdict.Passing, 3, 3), (host.Host, host.Verdict, host.FallbackVerdict, host.ConsecutiveFailures, host.FailureThreshold));
        Assert.Equal(("b", "out of memory"), (Assert.Single(evidence.LoadFailures!).Host, evidence.LoadFailures![0].Error));
        Assert.Equal(2, evidence.FreshHosts); // a is placed, b failed to load it; c is not placed and never tries
        Assert.Equal(("last", 0.1), (evidence.QualityDrop!.Reason, evidence.Violations!.Rate));
        Assert.Equal(3, view.Evidence("m", "2", null, null, fresh, null, [], Now).FreshHosts);
    }

    [Fact]
    public void Statistics_are_read_again_after_the_stats_interval_and_forgotten_with_their_model()
    {
        var view = new FleetView(Options);
        var read = view.RememberViolations("m", "1", 95, new Dictionary<string, long> { ["previous"] = 3, ["unavailable"] = 2 }, Now);

        Assert.Equal((95L, 5L, TimeSpan.FromMinutes(5)), (read.Served, read.Broken, read.Window));
        Assert.Same(read, view.CachedViolations("m", "1", Now.AddSeconds(4.9)));
        Assert.Null(view.CachedViolations("m", "1", Now.AddSeconds(5)));
        view.KeepStats(["other"]);
        Assert.Null(view.CachedViolations("m", "1", Now));
    }

    [Fact]
    public void Hosts_not_heard_from_are_forgotten_from_the_state_and_the_view()
    {
        var view = new FleetView(Options);
        var state = new CoordinatorState { Hosts = { ["old"] = Now.AddHours(-2) } };
        view.Record(Report("a", Now.AddMinutes(-61), []));
        view.Record(Report("b", Now, []));

        Assert.True(view.ForgetHosts(state, Now));
        Assert.Equal(["b"], state.Hosts.Keys.ToArray());
        Assert.Equal(["b"], view.Reports.Select(r => r.Id).ToArray());
        Assert.False(view.ForgetHosts(state, Now));
    }

    [Fact]
    public void Placement_sees_reported_hosts_after_liveness_and_placed_members_that_have_not_reported()
    {
        var view = new FleetView(Options);
        view.Record(Report("a", Now, [Live("m", "1")]));
        view.Record(Report("b", Now, [Live("m", "1", ProbeVerdict.Failing)], status: HostStatus.Unhealthy));
        view.Record(Report("c", Now, [], [new FailedLoad("m", "1", "bad onnx")]));
        view.Record(Report("d", Now.AddSeconds(-41), [Live("m", "1")])); // past twice the staleness
        view.Record(Report("e", Now, [], url: null));
        view.Record(Report("f", Now, [Live("m", "1")]));
        var members = new Dictionary<string, SiloStatus>
        {
            ["a"] = SiloStatus.Active, ["b"] = SiloStatus.Active, ["c"] = SiloStatus.Active, ["d"] = SiloStatus.Active,
            ["e"] = SiloStatus.Active, ["f"] = SiloStatus.Dead, ["g"] = SiloStatus.Active, ["h"] = SiloStatus.Dead,
        };
        var route = Route("m", "1", [new("g", "http://g/"), new("h", "http://h/"), new("i", "http://i/")]);

        var hosts = view.PlacementHosts(route, members, new Dictionary<string, int> { ["a"] = 2 }, [], Now).ToDictionary(h => h.Id);

        Assert.Equal(["a", "b", "c", "d", "f", "g", "h", "i"], hosts.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal((HostStatus.Healthy, 2), (hosts["a"].Status, hosts["a"].Load));
        Assert.Equal((HostStatus.Degraded, "host b is Unhealthy"), (hosts["b"].Status, hosts["b"].Reason)); // probes are the model's business
        Assert.Equal((HostStatus.Unhealthy, "version 1 failed to load there: bad onnx", false), (hosts["c"].Status, hosts["c"].Reason, hosts["c"].Gone));
        Assert.Equal((HostStatus.Unhealthy, false), (hosts["d"].Status, hosts["d"].Gone));
        Assert.Equal((HostStatus.Unhealthy, true), (hosts["f"].Status, hosts["f"].Gone));
        Assert.Equal((HostStatus.Healthy, "not reported to this coordinator yet"), (hosts["g"].Status, hosts["g"].Reason));
        Assert.Equal(("gone: membership declared silo 'h' dead", true), (hosts["h"].Reason, hosts["h"].Gone));
        Assert.Equal("gone: silo 'i' is not a member of the cluster", hosts["i"].Reason);
    }

    [Fact]
    public void A_host_that_still_fails_after_a_reload_is_unusable_for_that_model_within_the_cool_down()
    {
        var view = new FleetView(Options);
        view.Record(Report("b", Now, [Live("m", "1", ProbeVerdict.Failing)]));
        var members = Members("b");
        Decision Reload(TimeSpan ago) => new("d000007", Now - ago, "m", DecisionAction.Reload, "1", "1", "b", "r",
            new DecisionEvidence(DecisionPolicy.GoldenSomeHosts, [], [], [], Now), DecisionStatus.Done, "queued", Now, null);

        PlacementHost Seen(TimeSpan ago) => Assert.Single(view.PlacementHosts(Route("m", "1"), members, new Dictionary<string, int>(), [Reload(ago)], Now));

        Assert.Equal((HostStatus.Unhealthy, "version 1 still fails its golden probe after reload d000007: differs"), (Seen(TimeSpan.FromSeconds(16)).Status, Seen(TimeSpan.FromSeconds(16)).Reason));
        Assert.Equal(HostStatus.Healthy, Seen(TimeSpan.FromSeconds(15)).Status); // the reload's own probes (2 intervals + timeout) still run
        Assert.Equal(HostStatus.Healthy, Seen(TimeSpan.FromMinutes(5.1)).Status);
    }
}

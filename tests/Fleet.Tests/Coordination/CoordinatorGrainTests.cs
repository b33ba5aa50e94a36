using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Coordination;
using Fleet.Grains;
using Fleet.Grains.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Fleet.Tests.Coordination;

/// <summary>The host and coordinator grains on a 2-silo TestCluster: every method once (serializers), and exactly-once decisions.</summary>
[Trait(Speed.Trait, Speed.Grain)]
public sealed class CoordinatorGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly VersionContract NoContract = new(null, new OutputContract([], "none"));

    [Fact]
    public async Task Host_grain_keeps_reports_hands_out_commands_once_and_the_coordinator_learns_the_host()
    {
        var id = $"host-{Guid.NewGuid():N}";
        var host = fixture.Grains.GetGrain<IHostGrain>(id);
        Assert.Null(await host.GetView());
        var now = fixture.Time.GetUtcNow();
        var command = new HostCommand("d000042", "reload", "m", "2", "golden failing here", now);

        Assert.True(await host.Enqueue(command));
        Assert.False(await host.Enqueue(command));
        var results = Enumerable.Range(0, 3).Select(i => new ProbeResult(now, "m", "2", "golden", false, $"differs {i}", 0.5)).ToArray();
        var pending = await host.Report(Report(id, now, HostStatus.Unhealthy, results, []));
        Assert.Equal([command], pending);
        pending = await host.Report(Report(id, now.AddSeconds(1), HostStatus.Healthy, [], [new CommandResult("d000042", true, "reloaded", now)]));
        Assert.Empty(pending);
        Assert.False(await host.Enqueue(command)); // done before: not queued again

        var view = await host.GetView();
        Assert.Equal((HostStatus.Healthy, now.AddSeconds(1)), (view!.Last.Status, view.StatusSince));
        Assert.Equal(["differs 1", "differs 2"], view.History.Select(r => r.Detail).ToArray()); // the host keeps 2 (its History setting)
        Assert.Empty(view.Last.Results);
        Assert.Equal("reloaded", Assert.Single(view.Commands).Detail);
        var coordinator = fixture.Grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key);
        await Poll.UntilAsync(async () => (await coordinator.GetHostIds()).Contains(id), TimeSpan.FromSeconds(10), "the coordinator to learn the host");
        Assert.Empty(await coordinator.Evaluate()); // the host is not a member of this cluster: nothing to decide on
        Assert.NotNull(await coordinator.GetDecisions(null, 10));
    }

    [Fact]
    public async Task A_pending_decision_is_completed_on_activation_exactly_once()
    {
        var model = Names.Model("once");
        var grain = fixture.Grains.GetGrain<IModelGrain>(model);
        await grain.Register(new ModelDefinition(model, ModelTask.Classification, ""), "t");
        foreach (var v in new[] { "1", "2" })
        {
            await grain.AddVersion(new NewVersion(v, new string(v[0], 64), 1, "t", "", [], [], NoContract, TestGolden.Set));
            await grain.Promote(v, "", "t");
        }

        var now = fixture.Time.GetUtcNow();
        var pending = new Decision("d000001", now, model, DecisionAction.Rollback, "2", "1", null, "golden failing on all hosts",
            new DecisionEvidence(DecisionPolicy.GoldenAllHosts, new Dictionary<string, double> { ["hosts_failing"] = 1 }, [], [], now), DecisionStatus.Pending, null, null, null);

        // A coordinator that persisted the decision as pending and died before acting: its next activation acts.
        var first = await ActivateWithAsync(pending);
        Assert.Equal((DecisionStatus.Done, "rolled back from 2 to 1; version 2 quarantined"), (first.Status, first.Outcome));
        // One that died after acting but before recording "done": its next activation sees the rollback happened.
        var second = await ActivateWithAsync(pending);
        Assert.Equal((DecisionStatus.Done, "no-op: version 2 is no longer live (live: 1)"), (second.Status, second.Outcome));

        var info = await grain.TryGetInfo();
        Assert.Equal("1", info!.LiveVersion);
        Assert.Equal(VersionState.Quarantined, info.Versions.Single(v => v.Version == "2").State);
        var rollbacks = (await grain.GetAudit()).Where(a => a.Action.StartsWith("rollback", StringComparison.Ordinal)).ToArray();
        Assert.Equal(("coordinator", "golden failing on all hosts [decision d000001]"), (Assert.Single(rollbacks).Actor, rollbacks[0].Reason));
    }

    [Fact]
    public async Task A_replica_that_still_fails_its_golden_probe_after_a_reload_is_moved_off_its_host()
    {
        var model = Names.Model("evict");
        var grain = fixture.Grains.GetGrain<IModelGrain>(model);
        await grain.Register(new ModelDefinition(model, ModelTask.Classification, ""), "t");
        await grain.AddVersion(new NewVersion("1", new string('a', 64), 1, "t", "", [], [], NoContract, TestGolden.Set));
        await grain.Promote("1", "", "t");
        await grain.SetConfig(ModelConfig.Default with { Replicas = 2 }, "t");
        // A coordinator of its own (fresh key), fed the reports of this cluster's two silos.
        var coordinator = fixture.Grains.GetGrain<ICoordinatorGrain>($"coordinator-{Guid.NewGuid():N}");
        var (a, b) = (fixture.Cluster.Silos[0].Name, fixture.Cluster.Silos[1].Name);

        async Task<Decision[]> ReportBothAsync(bool aFailing)
        {
            var now = fixture.Time.GetUtcNow();
            await coordinator.ReportHost(Serving(a, now, model, aFailing));
            await coordinator.ReportHost(Serving(b, now, model, failing: false));
            await coordinator.Evaluate();
            return await coordinator.GetDecisions(model, 10);
        }

        // Both pass: two hosts for a factor of 2, nothing to place.
        Assert.Empty(await ReportBothAsync(aFailing: false));
        // A fails its golden probe: reload there first (a bad copy of the weights is the likely cause).
        var reload = Assert.Single(await ReportBothAsync(aFailing: true));
        Assert.Equal((DecisionAction.Reload, a), (reload.Action, reload.Host));
        Assert.Null(await grain.GetRoute() is { } route ? route.Replicas : null);

        // Still failing well after the reload (2 intervals + a timeout; A's earlier report is not stale yet, so the
        // order the two reports arrive in does not matter): the replica leaves A; B is the only usable host.
        fixture.Time.Advance(TimeSpan.FromSeconds(16));
        var decisions = await ReportBothAsync(aFailing: true);
        var failover = decisions[0];
        Assert.Equal((DecisionAction.Failover, a, DecisionStatus.Done), (failover.Action, failover.Host, failover.Status));
        Assert.Equal([new Fleet.Abstractions.Routing.ReplicaEndpoint(b, $"http://{b}/")], failover.Replicas!);
        Assert.Equal(ReplicaPlacement.HostUnhealthy, failover.Evidence.Trigger);
        Assert.Equal($"host {a} is unhealthy: version 1 still fails its golden probe after reload {reload.Id}: golden outputs differ: " +
            $"replicas of {model} moved from every host to {b} (only 1 usable host for a replication factor of 2)", failover.Reason);
        Assert.Equal([new Fleet.Abstractions.Routing.ReplicaEndpoint(b, $"http://{b}/")], (await grain.GetRoute())!.Replicas!);
        Assert.Equal("place", (await grain.GetAudit()).Last().Action);
    }

    [Fact]
    public async Task A_version_that_fails_to_load_on_every_host_it_is_placed_on_is_rolled_back_though_other_hosts_report()
    {
        var model = Names.Model("noload");
        var grain = fixture.Grains.GetGrain<IModelGrain>(model);
        await grain.Register(new ModelDefinition(model, ModelTask.Classification, ""), "t");
        foreach (var v in new[] { "1", "2" })
        {
            await grain.AddVersion(new NewVersion(v, new string(v[0], 64), 1, "t", "", [], [], NoContract, TestGolden.Set));
            await grain.Promote(v, "", "t");
        }

        var coordinator = fixture.Grains.GetGrain<ICoordinatorGrain>($"coordinator-{Guid.NewGuid():N}");
        var (a, b) = (fixture.Cluster.Silos[0].Name, fixture.Cluster.Silos[1].Name);
        await grain.SetConfig(ModelConfig.Default with { Replicas = 1 }, "t");
        await grain.SetReplicas([new Fleet.Abstractions.Routing.ReplicaEndpoint(a, $"http://{a}/")], "test", "t");
        var now = fixture.Time.GetUtcNow();

        // A, its only replica, cannot load version 2; B is not placed and never tries (it reports nothing about the
        // model). B's report lands first (reports are one-way): A's is evaluated with B among the hosts reporting.
        await coordinator.ReportHost(Idle(b, now));
        await Poll.UntilAsync(async () => (await coordinator.GetHostIds()).Contains(b), TimeSpan.FromSeconds(10), "the coordinator to learn B");
        await coordinator.ReportHost(Idle(a, now) with { FailedLoads = [new FailedLoad(model, "2", "checksum mismatch")] });
        await Poll.UntilAsync(async () => (await coordinator.GetHostIds()).Contains(a), TimeSpan.FromSeconds(10), "the coordinator to learn A");
        await coordinator.Evaluate();

        var rollback = Assert.Single(await coordinator.GetDecisions(model, 10), d => d.Action == DecisionAction.Rollback);
        Assert.Equal((DecisionPolicy.LoadFailedAllHosts, "2", "1", DecisionStatus.Done), (rollback.Evidence.Trigger, rollback.FromVersion, rollback.ToVersion, rollback.Status));
        Assert.Equal(new Dictionary<string, double> { ["hosts_reporting"] = 1, ["hosts_failed_to_load"] = 1, ["hosts_serving"] = 0 }, rollback.Evidence.Observed);
        Assert.Equal("1", (await grain.TryGetInfo())!.LiveVersion);
    }

    /// <summary>A healthy host serving nothing.</summary>
    private static HostReport Idle(string id, DateTimeOffset at) => new(
        id, "10.0.0.1:11111@1", at.AddMinutes(-1), at, HostStatus.Healthy, [], "CPU", null, new HostMemory(100, 10, 1000),
        [], [], [], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3, History: 2, Url: $"http://{id}/");

    private static HostReport Serving(string id, DateTimeOffset at, string model, bool failing) => new(
        id, "10.0.0.1:11111@1", at.AddMinutes(-1), at, failing ? HostStatus.Unhealthy : HostStatus.Healthy,
        failing ? [$"model '{model}' version '1' (live): golden probe failing"] : [], "CPU", null, new HostMemory(100, 10, 1000),
        [new LoadedVersion(model, "1", VersionRole.Live, new string('a', 64), "CPU", failing ? ProbeVerdict.Failing : ProbeVerdict.Passing,
            failing ? ["golden"] : [], failing ? "golden outputs differ" : null, failing ? 3 : 0, 0.5, 0.5, at)],
        [], [], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3, History: 2, Url: $"http://{id}/");

    /// <summary>Writes a coordinator state holding <paramref name="pending"/> under a fresh key, activates that coordinator and returns the decision as it left it.</summary>
    private async Task<Decision> ActivateWithAsync(Decision pending)
    {
        var coordinator = fixture.Grains.GetGrain<ICoordinatorGrain>($"coordinator-{Guid.NewGuid():N}");
        var storage = ((InProcessSiloHandle)fixture.Cluster.Primary!).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(FleetStorage.Name);
        var state = new GrainState<CoordinatorState>(new CoordinatorState { Decisions = [pending], DecisionCount = 1 });
        await storage.WriteStateAsync("coordinator", coordinator.GetGrainId(), state);

        return Assert.Single(await coordinator.GetDecisions(pending.Model, 10));
    }

    private static HostReport Report(string id, DateTimeOffset at, HostStatus status, ProbeResult[] results, CommandResult[] done) => new(
        id, "10.0.0.1:11111@1", at.AddMinutes(-1), at, status, status == HostStatus.Healthy ? [] : ["model 'm' version '2' (live): golden probe failing"],
        "CPU", null, new HostMemory(100, 10, 1000),
        [new LoadedVersion("m", "2", VersionRole.Live, new string('b', 64), "CPU", status == HostStatus.Healthy ? ProbeVerdict.Passing : ProbeVerdict.Failing, [], null, 0, 0.5, 0.5, at)],
        results, done, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3, History: 2);
}

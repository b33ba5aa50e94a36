using System.Collections.Concurrent;
using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Fleet.Monitoring.Quality;
using Fleet.Abstractions.Routing;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Registry;

/// <summary>
/// Calls every method of every grain interface across a 2-silo cluster: a type without a serializer
/// compiles and then fails only at run time, so this is the serializer coverage test.
/// </summary>
[Trait(Speed.Trait, Speed.Grain)]
public sealed class GrainContractTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TensorSpec[] Inputs = [new("input", "FP32", [-1, 13], ["batch", ""])];
    private static readonly TensorSpec[] Outputs = [new("label", "INT64", [-1], ["batch"])];
    private static readonly VersionContract Contract = new(
        new InputContract("input", [new FeatureRule(0, "f0", 0, 1, false, [0, 1], 0.5, 0.25)], "test"),
        new OutputContract([new OutputRule("label", OutputKind.Labels, null, null, 2)], "test"));

    [Fact]
    public async Task Every_model_grain_method_round_trips()
    {
        var name = Names.Model("grain");
        var grain = fixture.Grains.GetGrain<IModelGrain>(name);
        Assert.Null(await grain.TryGetInfo());

        var registered = await grain.Register(new ModelDefinition(name, ModelTask.Classification, "d"), "tester");
        Assert.Equal(fixture.Time.GetUtcNow(), registered.CreatedAt); // the grain's clock is the shared fake one
        var v1 = await grain.AddVersion(new NewVersion(null, new string('a', 64), 10, "tester", "first", Inputs, Outputs, Contract, TestGolden.Set));
        var evaluation = ReferenceEvaluation.Classification([0, 1, 1, 0], [0, 1, 1, 1], 2, ("1", [0, 1, 1, 0]), null);
        var v2 = await grain.AddVersion(new NewVersion("two", new string('b', 64), 20, "tester", "second", Inputs, Outputs, Contract, TestGolden.Set, evaluation));
        Assert.Equal("1", v1.Version);
        Assert.Equal(VersionState.Staged, v2.State);
        Assert.Equal(Inputs[0].Shape, (await grain.GetVersion("1")).Inputs[0].Shape);

        Assert.Equal(new LifecycleChange(name, "1", null) { Evidence = "version '1' has no labelled reference evaluation (upload it with reference data and a label column to gate promotion on it)" },
            await grain.Promote("1", "go", "tester"));
        var check = await grain.CheckPromotion("two");
        Assert.Equal((evaluation, false), (check.Evaluation, check.Refused)); // 1 discordant row of 4: not clearly worse
        Assert.Equal(new LifecycleChange(name, "two", "1") { Evidence = check.Evidence }, await grain.Promote("two", "go", "tester"));
        Assert.Equal(new LifecycleChange(name, "1", "two"), await grain.Rollback(null, quarantineCurrent: true, "bad", "tester"));
        Assert.Equal(VersionState.Quarantined, (await grain.GetVersion("two")).State);
        var v3 = await grain.AddVersion(new NewVersion("3", new string('c', 64), 30, "tester", "", Inputs, Outputs, Contract, TestGolden.Set));
        Assert.Equal(VersionState.Retired, (await grain.Retire(v3.Version, "unused", "tester")).State);
        Assert.Equal(VersionState.Quarantined, (await grain.Quarantine(v3.Version, "bad", "tester")).State);

        var route = await grain.GetRoute();
        Assert.Equal(("1", new string('a', 64)), (route!.LiveVersion, route.Sha256));
        Assert.Null(route.FallbackVersion); // "two" is quarantined, so 1 has no last-known-good
        Assert.Equivalent(Contract.Input!.Features[0], route.Contract!.Input!.Features[0], strict: true);
        Assert.Equal(Contract.Output.Outputs[0], route.Contract.Output.Outputs[0]);
        Assert.Equal(ModelConfig.Default.Fallback, route.Config.Fallback);
        await grain.ReportLoad(new HostLoadReport("nobody", "1", LoadState.Failed, "CPU", "boom", fixture.Time.GetUtcNow()));

        var audit = await grain.GetAudit();
        Assert.Equal(["register", "add-version", "add-version", "promote", "promote", "rollback+quarantine", "add-version", "retire", "quarantine"], audit.Select(a => a.Action).ToArray());
        Assert.All(audit, a => Assert.Equal("tester", a.Actor));
        var info = await grain.TryGetInfo();
        Assert.Equal("1", info!.LiveVersion);
        Assert.Empty(info.Hosts); // "nobody" is not a live silo of this cluster

        Assert.Equivalent(Contract.Input!.Features[0], (await grain.GetContract("1")).Input!.Features[0], strict: true);
        var edited = Contract with { Input = Contract.Input with { Source = "edited" } };
        Assert.Equal("edited", (await grain.SetContract("1", edited, "tester")).Input!.Source);
        Assert.Equal(ModelConfig.Default.InputMissing, (await grain.GetConfig()).InputMissing);
        var config = ModelConfig.Default with { InputContract = EnforcementMode.Reject, Fallback = [FallbackStep.Error], FallbackDefault = "{\"label\":[0]}" };
        Assert.Equal(config.Fallback, (await grain.SetConfig(config, "tester")).Fallback);
        Assert.Equal(EnforcementMode.Reject, (await grain.GetRoute())!.Config.InputContract);

        var error = await Assert.ThrowsAsync<RegistryException>(() => grain.Promote("two", "again", "tester"));
        Assert.Equal(RegistryErrorKind.Conflict, error.Kind);
        Assert.Equal($"version: 'two' of model '{name}' is quarantined and cannot go live", error.Message);
    }

    [Fact]
    public async Task Version_stats_grain_merges_flushes_and_answers_windows()
    {
        var grain = fixture.Grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(Names.Model("st"), "1"));
        var now = fixture.Time.GetUtcNow();
        var a = new Fleet.Statistics.VersionStatsRecorder(["f0"], now);
        a.RecordRequest(2.0, 3);
        a.RecordFeatures([1f, 2f, float.NaN], 1);
        a.RecordError("bad_input");
        var b = new Fleet.Statistics.VersionStatsRecorder(["f0"], now);
        b.RecordRequest(4.0, 1);
        b.RecordFallback("last-known-good");

        await grain.Flush(a.TakeSnapshot(now));
        await grain.Flush(b.TakeSnapshot(now));
        var merged = await grain.Query(TimeSpan.FromMinutes(5));

        Assert.Equal((2L, 4L, 1L, 1L), (merged.Requests, merged.Rows, merged.Errors["bad_input"], merged.Fallbacks["last-known-good"]));
        Assert.Equal((2L, 1L), (merged.Features[0].Count, merged.FeatureMissing[0]));
    }

    [Fact]
    public async Task Version_stats_grain_closes_minutes_into_history_and_takes_late_flushes()
    {
        var grain = fixture.Grains.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(Names.Model("min"), "1"));
        var now = fixture.Time.GetUtcNow(); // frozen: the grain's clock too
        async Task FlushAt(TimeSpan ago, int requests)
        {
            var recorder = new Fleet.Statistics.VersionStatsRecorder([], now - ago - TimeSpan.FromSeconds(1));
            for (var i = 0; i < requests; i++)
            {
                recorder.RecordRequest(1.0, 1);
            }

            await grain.Flush(recorder.TakeSnapshot(now - ago));
        }

        await FlushAt(TimeSpan.FromMinutes(3), 1);   // opens minute -3
        await FlushAt(TimeSpan.FromMinutes(2), 10);  // closes -3 into history, opens -2
        await FlushAt(TimeSpan.Zero, 100);           // closes -2, opens the current minute
        await FlushAt(TimeSpan.FromMinutes(3), 1000); // late: straight into history

        Assert.Equal(1111, (await grain.Query(TimeSpan.FromMinutes(5))).Requests);
        Assert.Equal(100, (await grain.Query(TimeSpan.FromMinutes(1))).Requests);
    }

    [Fact]
    public async Task Catalog_lists_models_and_pushes_route_changes_to_subscribers()
    {
        var name = Names.Model("push");
        var catalog = fixture.Grains.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key);
        var observer = new RecordingObserver();
        var reference = fixture.Grains.CreateObjectReference<IRouteObserver>(observer);
        await catalog.Subscribe(reference);

        var grain = fixture.Grains.GetGrain<IModelGrain>(name);
        await grain.Register(new ModelDefinition(name, ModelTask.Regression, ""), "t");
        await grain.AddVersion(new NewVersion("1", new string('d', 64), 1, "t", "", Inputs, Outputs, Contract, TestGolden.Set));
        await grain.Promote("1", "", "t");

        Assert.Contains(name, await catalog.List());
        Assert.Contains(await catalog.GetRoutes(), r => r.Model == name && r.LiveVersion == "1");
        var pushed = await observer.WaitForAsync(r => r.Model == name && r.LiveVersion == "1");
        Assert.Equal(new string('d', 64), pushed.Sha256);
        await catalog.Publish(pushed with { Revision = pushed.Revision + 100 });
        await observer.WaitForAsync(r => r.Model == name && r.Revision == pushed.Revision + 100);
        await catalog.Unsubscribe(reference);
        await catalog.Add(name); // idempotent
        Assert.Single(await catalog.List(), n => n == name);
    }

    [Fact]
    public async Task Registry_refusals_cross_the_wire_with_kind_and_message()
    {
        var grain = fixture.Grains.GetGrain<IModelGrain>(Names.Model("ghost"));

        var error = await Assert.ThrowsAsync<RegistryException>(() => grain.GetAudit());

        Assert.Equal(RegistryErrorKind.NotFound, error.Kind);
        Assert.EndsWith("not found", error.Message);
    }

    private sealed class RecordingObserver : IRouteObserver
    {
        private readonly ConcurrentQueue<ModelRoute> _routes = new();
        private readonly SemaphoreSlim _signal = new(0);

        public Task OnRouteChanged(ModelRoute route)
        {
            _routes.Enqueue(route);
            _signal.Release();
            return Task.CompletedTask;
        }

        public async Task<ModelRoute> WaitForAsync(Func<ModelRoute, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (_routes.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await _signal.WaitAsync(timeout.Token);
            }
        }
    }
}

using Fleet.Abstractions.Coordination;
using Fleet.Drift;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

/// <summary>
/// The monitor and coordinator grains across a 2-silo cluster on the shared FakeTimeProvider: every method once
/// (serializer coverage), and the staleness trigger, deduplication and acknowledgement in virtual time.
/// </summary>
[Trait(Speed.Trait, Speed.Grain)]
public sealed class MonitorGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Every_monitor_method_round_trips_and_staleness_opens_one_request_until_acked()
    {
        var (name, monitor) = await MonitoredAsync("mon");
        await monitor.AddLabels([new LabeledPrediction("p-1", "1", fixture.Time.GetUtcNow(), fixture.Time.GetUtcNow(), 1, 1, 0.9, [0.1, 0.9])], unknown: 2);

        var first = Assert.Single(await monitor.RunDetectors());
        Assert.Equal(("1", "upload", 120, 300), (first.Version, first.ReferenceSource, first.Report.CurrentCount, first.Report.ReferenceCount));
        Assert.NotEqual(DriftVerdict.InsufficientData, first.Report.Overall);
        Assert.Equal(3, first.Report.Features.Length);
        Assert.NotNull(first.Sequential);
        Assert.NotNull(first.Multivariate);
        Assert.Empty(await monitor.GetRetrainRequests());

        fixture.Time.Advance(TimeSpan.FromDays(2));
        await monitor.RunDetectors();
        await monitor.RunDetectors();
        var request = Assert.Single(await monitor.GetRetrainRequests());
        Assert.Equal((RetrainStatus.Open, "staleness"), (request.Status, request.Triggers.Single().Trigger));
        Assert.Equal(2.0, request.Triggers[0].Evidence["age_days"], 6);
        Assert.Equal("version 1 has been live for 2 days (limit 1 day)", request.Triggers[0].Reason);
        // Delivered in the background, then recorded on the request.
        await Poll.UntilAsync(async () => (await monitor.GetRetrainRequests()).Single().Deliveries.Length == 1, TimeSpan.FromSeconds(10), "the delivery recorded");
        Assert.Contains(fixture.Notifier.Delivered, r => r.Id == request.Id);
        Assert.Equal("recorded", (await monitor.GetRetrainRequests()).Single().Deliveries.Single().Detail);

        var acked = await monitor.AckRetrain(null, "tester", "taken");
        Assert.Equal((RetrainStatus.Acked, "tester", "taken"), (acked.Status, acked.AckedBy, acked.Note));
        await Assert.ThrowsAsync<RegistryException>(() => monitor.AckRetrain(null, "tester", null));

        // Three runs asked for, and one by the grain timer: it runs on the injected clock, which jumped two days.
        var drift = await monitor.GetDrift("1", 10);
        Assert.Equal((4, 120), (drift.History.Length, drift.WindowRows));
        Assert.Equal(("upload", 300, true), (drift.Reference!.Source, drift.Reference.Rows, drift.Reference.Labeled));
        var quality = await monitor.GetQuality("1", TimeSpan.FromDays(7));
        Assert.Equal((1, 2L, 1.0), (quality.LabelsJoined, quality.LabelsUnknown, quality.Classification!.Accuracy));
        Assert.Single(await monitor.GetLabels("1", ClusterFixture.Epoch));

        var signals = await fixture.Grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSignals(name, 10);
        Assert.Equal(SignalKind.RetrainRequested, signals[0].Kind);
        await fixture.Grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).Signal(new FleetSignal(SignalKind.ProbeRecovered, name, null, fixture.Time.GetUtcNow(), "r", new() { ["x"] = 1 }));
        Assert.Equal(SignalKind.ProbeRecovered, (await fixture.Grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSignals(name, 1)).Single().Kind);
    }

    [Fact]
    public async Task A_retraining_delivery_that_throws_is_recorded_on_the_request_as_failed()
    {
        var (name, monitor) = await MonitoredAsync("throw");
        fixture.Notifier.ThrowFor.TryAdd(name, 0);
        await monitor.RunDetectors();
        fixture.Time.Advance(TimeSpan.FromDays(2));
        await monitor.RunDetectors();

        await Poll.UntilAsync(async () => (await monitor.GetRetrainRequests()).Single().Deliveries.Length == 1, TimeSpan.FromSeconds(10), "the failed delivery recorded");
        var delivery = (await monitor.GetRetrainRequests()).Single().Deliveries.Single();
        Assert.Equal(("delivery", false, "delivering failed: InvalidOperationException: target unreachable"), (delivery.Target, delivery.Ok, delivery.Detail));
    }

    /// <summary>A registered model, live version 1 with a 2-feature reference and 120 live rows, retraining on staleness (1 day).</summary>
    private async Task<(string Name, IModelMonitorGrain Monitor)> MonitoredAsync(string prefix)
    {
        var name = Names.Model(prefix);
        var model = fixture.Grains.GetGrain<IModelGrain>(name);
        await model.Register(new ModelDefinition(name, ModelTask.Classification, "d"), "tester");
        await model.AddVersion(new NewVersion("1", new string('a', 64), 10, "tester", "", [], [], new Fleet.Abstractions.Contracts.VersionContract(null, new Fleet.Abstractions.Contracts.OutputContract([], "none"))));
        await model.Promote("1", "go", "tester");
        var settings = MonitorSettings.Default with { DriftMinSamples = 50, RetrainOn = [RetrainTrigger.Staleness], RetrainMaxAge = TimeSpan.FromDays(1) };
        await model.SetConfig(ModelConfig.Default with { Monitoring = settings }, "tester");

        var monitor = fixture.Grains.GetGrain<IModelMonitorGrain>(name);
        await monitor.ApplySettings(settings);
        var random = new Random(7);
        var reference = Enumerable.Range(0, 300).Select(_ => new[] { Seeded.Normal(random), Seeded.Normal(random) }).ToArray();
        await monitor.SetReference(new ReferenceProfile("1", "upload", fixture.Time.GetUtcNow(), ["a", "b"], [FeatureKind.Numeric, FeatureKind.Numeric],
            [reference.Select(r => r[0]).ToArray(), reference.Select(r => r[1]).ToArray()], reference.Select(r => r[0] > 0 ? 0.9 : 0.2).ToArray(), FeatureKind.Numeric,
            reference.Select(r => r[0] > 0 ? 1 : 0).ToArray(), reference.Select(r => r[0] > 0 ? 0.9 : 0.8).ToArray(), reference.Select(r => r[0] > 0 ? 1.0 : 0.0).ToArray(), 2));
        var rows = Enumerable.Range(0, 120).Select(_ => (Seeded.Normal(random), Seeded.Normal(random)))
            .Select(r => new MonitorRow([r.Item1, r.Item2], r.Item1 > 0 ? 0.9 : 0.2, r.Item1 > 0 ? 1 : 0, r.Item1 > 0 ? 0.9 : 0.8)).ToArray();
        await monitor.Ingest([new VersionRows("1", rows, ["a", "b"])]);
        return (name, monitor);
    }

}

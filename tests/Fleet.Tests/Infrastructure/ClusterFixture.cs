using System.Collections.Concurrent;
using Fleet.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A 2-silo in-process Orleans TestCluster with memory storage, one per test class (<c>IClassFixture</c>), with its own
/// FakeTimeProvider and retraining notifier: a class that advances its clock moves no other class's grains.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Silo configurators are created by type, so each finds its fixture by the cluster id it is configured with.
    private static readonly ConcurrentDictionary<string, ClusterFixture> ByClusterId = new(StringComparer.Ordinal);

    public ClusterFixture()
    {
        var builder = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.Options.ClusterId = "fleet-test-" + Guid.NewGuid().ToString("N")[..12];
        ByClusterId[builder.Options.ClusterId] = this;
        Cluster = builder.Build();
    }

    /// <summary>This cluster's clock: every grain in it reads this time.</summary>
    public FakeTimeProvider Time { get; } = new(Epoch);

    /// <summary>Records the retraining requests the monitor grains deliver (the server's notifier posts webhooks and runs commands).</summary>
    public RecordingRetrainNotifier Notifier { get; } = new();

    /// <summary>The alerting grain's webhook (<c>/fleet</c>, signed with <see cref="WebhookSecret"/>): not listening until a test starts it.</summary>
    public WebhookReceiver Webhook { get; } = new();

    public const string WebhookSecret = "cluster-secret";

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Webhook.DisposeAsync();
        ByClusterId.TryRemove(Cluster.Options.ClusterId, out _);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var clusterId = siloBuilder.Configuration["Orleans:ClusterId"] ?? throw new InvalidOperationException("the test silo has no Orleans:ClusterId");
            var fixture = ByClusterId[clusterId];
            siloBuilder.AddMemoryGrainStorage(FleetStorage.Name);
            siloBuilder.Services.AddSingleton<TimeProvider>(fixture.Time);
            siloBuilder.Services.AddSingleton<Fleet.Grains.Monitoring.IRetrainNotifier>(fixture.Notifier);
            // The server's real sinks, delivering to this fixture's receiver (started and stopped by the delivery tests).
            siloBuilder.Services.AddHttpClient();
            siloBuilder.Services.AddSingleton<Fleet.Server.Telemetry.FleetMetrics>();
            siloBuilder.Services.Configure<Fleet.Grains.Alerting.AlertingOptions>(o =>
            {
                o.Webhooks = [new Fleet.Grains.Alerting.WebhookSink { Url = fixture.Webhook.Url + "/fleet", Secret = WebhookSecret }];
                o.DeliveryTimeout = TimeSpan.FromSeconds(5);
            });
            siloBuilder.Services.AddSingleton<Fleet.Grains.Alerting.IAlertSinks, Fleet.Server.Alerting.AlertSinks>();
        }
    }
}

using Fleet.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Fleet.Tests.Infrastructure;

/// <summary>A 2-silo in-process Orleans TestCluster with memory storage and a shared FakeTimeProvider.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Time { get; } = new(Epoch);

    /// <summary>Records the retraining requests the monitor grains deliver (the server's notifier posts webhooks and runs commands).</summary>
    public static RecordingRetrainNotifier Notifier { get; } = new();

    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(FleetStorage.Name);
            siloBuilder.Services.AddSingleton<TimeProvider>(Time);
            siloBuilder.Services.AddSingleton<Fleet.Grains.Monitoring.IRetrainNotifier>(Notifier);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "test cluster";
}

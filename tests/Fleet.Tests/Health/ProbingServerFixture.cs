using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Health;

/// <summary>
/// An embedded server of its own for the fault tests (they break models on purpose and pin them): probes every
/// second, a 3-failure threshold, statistics read every second, 20 answers before a broken-answer rate counts, and
/// fault injection on.
/// </summary>
public sealed class ProbingServerFixture : IAsyncLifetime
{
    public static readonly string[] Settings =
    [
        "--Fleet:Probes:Interval=00:00:01",
        "--Fleet:Probes:FailureThreshold=3",
        "--Fleet:Coordinator:StatsInterval=00:00:01",
        "--Fleet:Coordinator:ViolationMinSamples=20",
        "--Fleet:Coordinator:MaxActionsPerWindow=50",
        "--Fleet:FaultInjection:Enabled=true",
    ];

    private FleetServer? _server;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync(null, Settings);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProbingServerCollection : ICollectionFixture<ProbingServerFixture>
{
    public const string Name = "probing server";
}

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// One embedded server shared by the tests of a collection (each test uses its own model names). Its coordinator
/// may roll back 50 times an hour instead of 5: the cap guards a real fleet against a cascade, and here it would
/// make the many independent models' expected rollbacks depend on test order (the cap has its own tests). For the same
/// reason the fleet false-alarm budget is off here: its per-look level depends on how many models the collection made
/// so far, so detection speeds measured here (e.g. labels until a quality drop) would too. These tests measure the
/// detectors at their configured levels; the budget is tested on its own and on the alerting fixture's server.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private FleetServer? _server;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync(null,
        "--Fleet:Coordinator:MaxActionsPerWindow=50", "--Fleet:Alerting:FalseAlarmBudget=0");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "embedded server";
}

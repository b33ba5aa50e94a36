namespace Fleet.Tests.Infrastructure;

/// <summary>
/// One embedded server shared by the tests of a collection (each test uses its own model names). Its coordinator
/// may roll back 50 times an hour instead of 5: the cap guards a real fleet against a cascade, and here it would
/// make the many independent models' expected rollbacks depend on test order (the cap has its own tests).
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private FleetServer? _server;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync(null, "--Fleet:Coordinator:MaxActionsPerWindow=50");

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

namespace Fleet.Tests.Infrastructure;

/// <summary>One embedded server shared by the tests of a collection (each test uses its own model names).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private FleetServer? _server;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync();

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

using Fleet.Server.Monitoring;
using Fleet.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Fleet.Tests.Monitoring;

/// <summary>The cluster-mode prediction store against a real redis-server: join lookups, export queries, retention.</summary>
[Trait(Speed.Trait, Speed.Cluster)]
public sealed class RedisPredictionStoreTests
{
    [Fact]
    public async Task Predictions_are_found_by_id_queried_by_time_and_expire_with_the_retention()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new MonitoringOptions { PredictionRetention = TimeSpan.FromHours(2), MaxRetainedRows = 3 });
        var prefix = Names.Model("p");
        var store = new RedisPredictionStore(connection, prefix, options, time);

        PredictionRecord Record(string id, int minutesAgo, string version = "1") =>
            new(id, "m", version, time.GetUtcNow().AddMinutes(-minutesAgo), ["a", "b"], [1.5, double.NaN], [1], [0.75], [0.25, 0.75], 2);

        await store.AppendAsync([Record("old", 90), Record("mid", 30), Record("new", 1), Record("other", 1, "2")], CancellationToken.None);
        var found = await store.FindAsync(["new", "missing", "old"], CancellationToken.None);
        Assert.Equal("new", found[0]!.Id);
        Assert.Null(found[1]);
        Assert.Equal([0.25, 0.75], found[0]!.ProbabilitiesOf(0)!);
        Assert.Equal(0.75, found[0]!.Values[0]);
        Assert.True(double.IsNaN(found[0]!.Feature(0, 1)));

        var recent = await store.QueryAsync("m", "1", time.GetUtcNow().AddMinutes(-60), CancellationToken.None);
        Assert.Equal(["mid", "new"], recent.Select(r => r.Id).ToArray());

        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync($"{prefix}:prediction:new");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
    }
}

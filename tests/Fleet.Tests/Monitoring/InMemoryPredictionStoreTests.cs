using Fleet.Server.Monitoring;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Tests.Monitoring;

/// <summary>The embedded prediction store is bounded by age and by rows; an expired id is simply not found.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class InMemoryPredictionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private PredictionRecord Record(string id, int rows) =>
        new(id, "m", "1", _time.GetUtcNow(), [], [], new int[rows], new double[rows], null, 0);

    [Fact]
    public async Task Predictions_expire_after_the_retention()
    {
        var store = new InMemoryPredictionStore(Options.Create(new MonitoringOptions { PredictionRetention = TimeSpan.FromHours(1) }), _time);
        await store.AppendAsync([Record("a", 1)], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await store.AppendAsync([Record("b", 1)], CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(31));

        var found = await store.FindAsync(["a", "b"], CancellationToken.None);
        Assert.Null(found[0]);
        Assert.Equal("b", found[1]!.Id);
        Assert.Equal(["b"], (await store.QueryAsync("m", "1", DateTimeOffset.MinValue, CancellationToken.None)).Select(r => r.Id).ToArray());
    }

    [Fact]
    public async Task The_oldest_go_first_beyond_the_row_limit_and_a_reused_id_keeps_the_newest()
    {
        var store = new InMemoryPredictionStore(Options.Create(new MonitoringOptions { MaxRetainedRows = 10 }), _time);
        await store.AppendAsync([Record("a", 4), Record("b", 4), Record("c", 4)], CancellationToken.None);
        Assert.Equal([null, "b", "c"], (await store.FindAsync(["a", "b", "c"], CancellationToken.None)).Select(r => r?.Id).ToArray());

        var newer = Record("c", 1);
        await store.AppendAsync([newer], CancellationToken.None);
        Assert.Same(newer, (await store.FindAsync(["c"], CancellationToken.None))[0]);
        Assert.Equal(["b", "c"], (await store.QueryAsync("m", "1", DateTimeOffset.MinValue, CancellationToken.None)).Select(r => r.Id).ToArray());
    }
}

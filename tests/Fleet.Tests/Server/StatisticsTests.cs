using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class StatisticsTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task Concurrent_requests_are_counted_exactly_per_version()
    {
        var name = Names.Model("stats");
        await Server.RegisterAsync(name);
        await Server.UploadWithReferenceAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("wine", "reference.csv"), "1");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        var request = await File.ReadAllTextAsync(Repo.Sample("wine", "request.json")); // 3 rows
        const int clients = 8, perClient = 25, bad = 7;

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = Server.BaseAddress };
            for (var i = 0; i < perClient; i++)
            {
                var response = await client.PostAsync($"v2/models/{name}/infer", new StringContent(request));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        })));
        for (var i = 0; i < bad; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await Server.PostJsonAsync($"v2/models/{name}/infer", "{\"inputs\":[]}")).Status);
        }

        JsonNode? stats = null;
        await Poll.UntilAsync(async () =>
        {
            stats = await Server.GetJsonAsync($"api/v1/models/{name}/stats?window=5m");
            return (long)stats["requests"]! == clients * perClient && stats["errors"]!["bad_input"] is not null;
        }, TimeSpan.FromSeconds(30), "the flushed statistics");

        Assert.Equal((name, "1", "5m"), ((string)stats!["model"]!, (string)stats["version"]!, (string)stats["window"]!));
        Assert.Equal(3L * clients * perClient, (long)stats["rows"]!);
        Assert.Equal(bad, (long)stats["errors"]!["bad_input"]!);
        var latency = stats["latency_ms"]!;
        Assert.True((double)latency["p50"]! > 0 && (double)latency["p50"]! <= (double)latency["p99"]!, latency.ToJsonString());
        var features = stats["features"]!.AsArray();
        Assert.Equal(13, features.Count);
        Assert.Equal(("alcohol", 3L * clients * perClient), ((string)features[0]!["name"]!, (long)features[0]!["count"]!));
        var classes = stats["outputs"]!["class_counts"]!.AsArray().Select(c => (long)c!).ToArray();
        Assert.Equal(3L * clients * perClient, classes.Sum());
        // The three sample rows are one of each class.
        Assert.Equal([clients * perClient, clients * perClient, clients * perClient], classes);

        var versioned = await Server.GetJsonAsync($"api/v1/models/{name}/versions/1/stats?window=1h");
        Assert.Equal(clients * perClient, (long)versioned["requests"]!);
        var (status, body) = await Server.SendJsonAsync(HttpMethod.Get, $"api/v1/models/{name}/stats?window=5x", null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("window: '5x'", (string)body!["error"]!);
    }
}

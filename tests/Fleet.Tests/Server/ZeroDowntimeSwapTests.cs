using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class ZeroDowntimeSwapTests(ServerFixture fixture)
{
    [Fact]
    public async Task Promotion_under_concurrent_load_fails_no_request_and_moves_traffic()
    {
        var server = fixture.Server;
        var name = Names.Model("swap");
        await server.RegisterAsync(name);
        await server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");
        await server.UploadAsync(name, Repo.Sample("testing", "wine-v2.onnx"), "2");
        await server.PromoteAsync(name, "1");
        await server.WaitServingAsync(name, "1");
        var request = await File.ReadAllTextAsync(Repo.Sample("wine", "request.json"));

        var failures = new ConcurrentBag<string>();
        var versions = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var sawV2 = new TaskCompletionSource();
        async Task Client()
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            // Bounded: at most 20,000 requests per client even if the swap never happens.
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                var response = await client.PostAsync($"v2/models/{name}/infer", new StringContent(request));
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode} {text}");
                    continue;
                }

                var version = (string)JsonNode.Parse(text)!["model_version"]!;
                versions.AddOrUpdate(version, 1, (_, n) => n + 1);
                if (version == "2")
                {
                    sawV2.TrySetResult();
                }
            }
        }

        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(Client)).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(versions.GetValueOrDefault("1") >= 200), TimeSpan.FromSeconds(30), "traffic on v1");
        await server.PromoteAsync(name, "2");
        await sawV2.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Let traffic run on the new version for a while after the swap, then stop.
        var afterSwap = versions.GetValueOrDefault("2");
        await Poll.UntilAsync(() => Task.FromResult(versions.GetValueOrDefault("2") >= afterSwap + 200), TimeSpan.FromSeconds(30), "traffic on v2");
        stop.Cancel();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(versions.GetValueOrDefault("1") >= 200, "requests were served by version 1 before the swap");
        Assert.True(versions.GetValueOrDefault("2") >= 200, "requests were served by version 2 after the swap");
        var status = await server.GetJsonAsync("api/v1/status");
        var model = status["models"]!.AsArray().Single(m => (string)m!["name"]! == name)!;
        Assert.Equal("2", (string)model["serving_version"]!);
    }
}

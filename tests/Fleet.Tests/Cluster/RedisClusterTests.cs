using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Cluster;

/// <summary>Cluster mode end to end: a real redis-server and Fleet silos as separate processes.</summary>
[Trait(Speed.Trait, Speed.Cluster)]
public sealed class RedisClusterTests
{
    [Fact]
    public async Task Registry_is_shared_across_silos_and_survives_silo_kills()
    {
        await using var redis = await RedisServer.StartAsync();
        using var shared = new TempDirectory();
        var clusterId = Names.Model("c");
        var data = Path.Combine(shared.Path, "data");
        var startA = SiloProcess.StartAsync(redis, clusterId, data, shared.Path);
        var startB = SiloProcess.StartAsync(redis, clusterId, data, shared.Path);
        await using var a = await startA;
        await using var b = await startB;

        // A model registered and promoted through silo A is served by silo B.
        var name = Names.Model("cl");
        Assert.Equal(HttpStatusCode.Created, (await a.Client.PostAsync("api/v1/models", Json(new { name, task = "classification" }))).StatusCode);
        var upload = await a.Client.PostAsync($"api/v1/models/{name}/versions?version=1", new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("wine", "model.onnx"))));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsync($"api/v1/models/{name}/versions/1/promote", Json(new { reason = "t" }))).StatusCode);
        await WaitServing(b, name, "1");
        var golden = Golden.Load(Repo.Sample("wine", "golden.json"));
        golden.AssertMatches(await Infer(b, name, golden));
        var onB = JsonNode.Parse(await b.Client.GetStringAsync("api/v1/models"))!["models"]!.AsArray();
        Assert.Contains(onB, m => (string)m!["name"]! == name && (string)m["live_version"]! == "1");

        // Statistics from both silos merge in the version's grain: 1 golden request above, 5 on A, 6 on B.
        await WaitServing(a, name, "1");
        for (var i = 0; i < 5; i++)
        {
            await Infer(a, name, golden);
        }

        for (var i = 0; i < 6; i++)
        {
            await Infer(b, name, golden);
        }

        await Poll.UntilAsync(async () =>
        {
            var stats = JsonNode.Parse(await a.Client.GetStringAsync($"api/v1/models/{name}/stats?window=5m"))!;
            return (long)stats["requests"]! == 12 && (long)stats["rows"]! == 12 * 20;
        }, TimeSpan.FromSeconds(30), "12 requests merged from two silos");

        // A label sent to B joins a prediction served by A: predictions are kept in Redis, not in A's memory.
        var request = golden.Request.DeepClone();
        request["id"] = "served-on-a";
        var served = await a.Client.PostAsync($"v2/models/{name}/infer", new StringContent(request.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var rows = (int)request["inputs"]![0]!["shape"]![0]!;
        JsonNode? joined = null;
        await Poll.UntilAsync(async () =>
        {
            var feedback = await b.Client.PostAsync("api/v1/feedback", Json(new { model = name, labels = new object[] { new { id = $"served-on-a#{rows - 1}", label = 0 } } }));
            var text = await feedback.Content.ReadAsStringAsync();
            joined = JsonNode.Parse(text);
            return feedback.StatusCode == HttpStatusCode.OK
                ? (int)joined!["joined"]! == 1
                : throw new InvalidOperationException($"feedback on B: {(int)feedback.StatusCode} {text}");
        }, TimeSpan.FromSeconds(30), "a label on B joined to A's prediction");
        Assert.Equal(1, (int)joined!["versions"]!["1"]!);
        // Its trace is kept by A, and B finds it by asking the other silos: A's name, and the label that just joined.
        var trace = JsonNode.Parse(await b.Client.GetStringAsync("api/v1/traces/served-on-a"))!;
        var aName = (string)JsonNode.Parse(await a.Client.GetStringAsync("api/v1/status"))!["host"]!["silo"]!;
        Assert.Equal((name, "1", aName, "ok"), ((string)trace["model"]!, (string)trace["version"]!, (string)trace["host"]!, (string)trace["outcome"]!));
        Assert.Equal(0.0, (double)trace["label"]!["value"]!);
        // A's statistics of that request are flushed before A is killed (a killed silo loses its last second of them).
        await Poll.UntilAsync(async () =>
        {
            var stats = JsonNode.Parse(await b.Client.GetStringAsync($"api/v1/models/{name}/stats?window=5m"))!;
            return (long)stats["requests"]! == 13;
        }, TimeSpan.FromSeconds(30), "A's 13th request flushed");

        // Kill A: B keeps serving, the registry is intact and writable through B.
        await a.KillAsync();
        golden.AssertMatches(await Infer(b, name, golden));
        await Poll.UntilAsync(async () =>
        {
            var response = await b.Client.PostAsync($"api/v1/models/{name}/versions?version=2", new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("testing", "wine-v2.onnx"))));
            // 503 while membership has not yet declared A dead (grains that lived on A cannot be reached): retry.
            return response.StatusCode == HttpStatusCode.Created || (response.StatusCode != HttpStatusCode.ServiceUnavailable
                ? throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}")
                : false);
        }, TimeSpan.FromSeconds(30), "adding a version through B after A died");
        Assert.Equal(HttpStatusCode.OK, (await b.Client.PostAsync($"api/v1/models/{name}/versions/2/promote", Json(new { reason = "t" }))).StatusCode);
        await WaitServing(b, name, "2");
        // B's request after A died is flushed before B dies too (its first flush may have waited on a grain that was on A).
        long flushedOnB = -1;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                var stats = JsonNode.Parse(await b.Client.GetStringAsync($"api/v1/models/{name}/versions/1/stats?window=1h"))!;
                return (flushedOnB = (long)stats["requests"]!) == 14;
            }, TimeSpan.FromSeconds(30), "version 1's 14 requests flushed through B");
        }
        catch (TimeoutException ex)
        {
            var log = string.Join("\n", File.ReadAllLines(b.LogPath).Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(40));
            throw new TimeoutException($"{ex.Message}; last seen {flushedOnB}; B's log:\n{log}", ex);
        }

        // A new silo joins, then B is killed too: C reads the registry back from Redis.
        await using var c = await SiloProcess.StartAsync(redis, clusterId, data, shared.Path);
        await b.KillAsync();
        JsonNode? info = null;
        await Poll.UntilAsync(async () =>
        {
            var response = await c.Client.GetAsync($"api/v1/models/{name}");
            info = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
            return info is not null;
        }, TimeSpan.FromSeconds(30), "the registry on C after B died");
        Assert.Equal("2", (string)info!["live_version"]!);
        Assert.Equal(["retired", "live"], info["versions"]!.AsArray().Select(v => (string)v!["state"]!).ToArray());
        var audit = JsonNode.Parse(await c.Client.GetStringAsync($"api/v1/models/{name}/audit"))!["entries"]!.AsArray();
        Assert.Equal(["register", "add-version", "promote", "add-version", "promote"], audit.Select(e => (string)e!["action"]!).ToArray());
        var v2 = Golden.Load(Repo.Sample("testing", "wine-v2.golden.json"));
        v2.AssertMatches(await Infer(c, name, v2));
        // Statistics flushed before the silos died are still there: 12 requests above, the labeled one on A, 1 on B after A died.
        long seen = -1;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                var stats = JsonNode.Parse(await c.Client.GetStringAsync($"api/v1/models/{name}/versions/1/stats?window=1h"))!;
                return (seen = (long)stats["requests"]!) == 14;
            }, TimeSpan.FromSeconds(30), "version 1's 14 requests after both silos died");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last seen: {seen} requests", ex);
        }
        var status = JsonNode.Parse(await c.Client.GetStringAsync("api/v1/status"))!;
        Assert.Equal("redis", (string)status["host"]!["cluster_mode"]!);

        // Orleans' own metrics reach /metrics. Checked on a silo in its own process: in the test process many hosts
        // share one set of meter listeners, and one host stopping can take a shared instrument out of another's export.
        string metrics = "";
        await Poll.UntilAsync(async () =>
        {
            // A registry read is a grain call, so Orleans has fresh measurements to export on each poll.
            await c.Client.GetStringAsync("api/v1/models");
            return (metrics = await c.Client.GetStringAsync("metrics")).Contains("orleans_", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "Orleans' metrics on C's /metrics");
        Assert.Contains("fleet_inference_requests_total", metrics);
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Infer(SiloProcess silo, string model, Golden golden)
    {
        var response = await silo.Client.PostAsync($"v2/models/{model}/infer", new StringContent(golden.Request.ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{silo.BaseAddress} infer {model}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static Task WaitServing(SiloProcess silo, string model, string version) =>
        Poll.UntilAsync(async () =>
        {
            var response = await silo.Client.GetAsync($"v2/models/{model}/ready");
            return response.StatusCode == HttpStatusCode.OK && (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"] == version;
        }, TimeSpan.FromSeconds(30), $"{model} {version} serving on {silo.BaseAddress}");
}

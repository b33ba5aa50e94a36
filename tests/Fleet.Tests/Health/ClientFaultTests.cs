using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Health;

/// <summary>
/// Input that passes the pre-checks but makes ONNX Runtime fail (samples/testing/picky.onnx: a length that is not a
/// multiple of 4) is the client's fault: 422 naming the input, no fallback, never evidence against the version. The
/// version gets its golden set from live traffic and only then becomes a last-known-good. Runs on the probing server
/// (1 s probes and statistics, 20 broken answers enough for a rollback), so a miscounted fault would roll back.
/// </summary>
[Collection(ProbingServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class ClientFaultTests(ProbingServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    private static string Request(int length, string id = "r") => new JsonObject
    {
        ["id"] = id,
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["name"] = "x",
            ["shape"] = new JsonArray(1, length),
            ["datatype"] = "FP32",
            ["data"] = new JsonArray(Enumerable.Range(0, length).Select(i => (JsonNode)(float)i).ToArray()),
        }),
    }.ToJsonString();

    [Fact]
    public async Task A_version_without_a_golden_set_is_recorded_from_live_traffic_and_only_then_becomes_the_last_known_good()
    {
        var name = Names.Model("picky");
        await Server.RegisterAsync(name, "regression");
        var added = await Server.UploadAsync(name, Repo.Sample("testing", "picky.onnx"), "1");
        Assert.Null(added["golden"]);
        Assert.StartsWith("no golden file and no reference data describing the model's input; it is recorded from live traffic once 20 live requests",
            (string)added["golden_none"]!);
        await Server.UploadAsync(name, Repo.Sample("testing", "picky.onnx"), "2");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");

        // Not a last-known-good yet: 1 has never passed a probe.
        await Server.PromoteAsync(name, "2");
        Assert.Null((string?)(await Server.GetJsonAsync($"api/v1/models/{name}"))["last_known_good"]);
        var (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/rollback", new { reason = "test" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"model '{name}' has no last-known-good version (no earlier live version that is not quarantined and has a golden set)", (string)body!["error"]!);

        await Server.WaitServingAsync(name, "2");
        await SendGoodAsync(name, 20);
        var golden = await WaitGoldenAsync(name, "2");
        Assert.StartsWith("live traffic: the first request answered on host ", (string)golden["source"]!);
        Assert.Equal(1, (long)golden["rows"]!);
        var file = await Server.GetJsonAsync($"api/v1/models/{name}/versions/2/golden");
        Assert.Equal("[0,1,2,3,4,5,6,7]", file["request"]!["inputs"]![0]!["data"]!.ToJsonString());
        Assert.Equal("[6,22]", file["expected"]!["outputs"]![0]!["data"]!.ToJsonString());

        // 2 passed: promoting 1 makes 2 the last-known-good.
        await Server.PromoteAsync(name, "1");
        Assert.Equal("2", (string?)(await Server.GetJsonAsync($"api/v1/models/{name}"))["last_known_good"]);
    }

    [Fact]
    public async Task A_thousand_inputs_the_runtime_cannot_run_are_client_errors_with_no_fallback_no_decision_and_the_server_stays_ready()
    {
        var name = Names.Model("picky");
        await Server.RegisterAsync(name, "regression");
        await Server.UploadAsync(name, Repo.Sample("testing", "picky.onnx"), "1");
        await Server.UploadAsync(name, Repo.Sample("testing", "picky.onnx"), "2");
        await Server.PromoteAsync(name, "1");
        await Server.WaitServingAsync(name, "1");
        await SendGoodAsync(name, 20);
        await WaitGoldenAsync(name, "1");
        await Server.PromoteAsync(name, "2");
        await Server.WaitFallbackAsync(name, "2", "1");
        await SendGoodAsync(name, 1);

        // 500 before 2 has a golden set (judged by the shapes it answered), 500 after (its golden set re-checked).
        await SendBadAsync(name, 500);
        await SendGoodAsync(name, 20);
        await WaitGoldenAsync(name, "2");
        await SendBadAsync(name, 500);

        JsonNode? stats = null;
        await Poll.UntilAsync(async () =>
        {
            stats = await Server.GetJsonAsync($"api/v1/models/{name}/versions/2/stats?window=5m");
            return stats["errors"]!["input_not_runnable"] is { } n && (long)n == 1000;
        }, TimeSpan.FromSeconds(30), "the flushed statistics of version 2");
        Assert.Equal(21L, (long)stats!["requests"]!);
        Assert.Equal("{\"input_not_runnable\":1000}", stats!["errors"]!.ToJsonString());
        Assert.Equal("{}", stats["fallbacks"]!.ToJsonString());
        Assert.Equal((1000L, 0L), ((long)stats["client_errors"]!, (long)stats["model_errors"]!));

        // Two probe cycles (and coordinator passes over these statistics) later: nothing decided, 2 still live, ready.
        await WaitProbesAsync(2);
        Assert.Empty((await Server.GetJsonAsync($"api/v1/decisions?model={name}"))["decisions"]!.AsArray());
        Assert.Equal("2", (string)(await Server.GetJsonAsync($"api/v1/models/{name}"))["live_version"]!);
        var ready = await Server.Client.GetAsync("v2/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
    }

    private async Task SendGoodAsync(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var response = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(Request(8, $"good-{i}")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task SendBadAsync(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var length = 5 + (2 * (i % 3)); // 5, 7, 9: never a multiple of 4
            var response = await Server.Client.PostAsync($"v2/models/{name}/infer", new StringContent(Request(length, $"bad-{i}")));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode} {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
            Assert.False(response.Headers.Contains("Fleet-Fallback"));
            var error = (string)JsonNode.Parse(text)!["error"]!;
            Assert.StartsWith($"model '{name}' version '2' cannot run this input: input 'x' [1,{length}]: ONNX Runtime failed: ", error);
            Assert.Contains("(the input's fault: ", error);
        }
    }

    private async Task<JsonNode> WaitGoldenAsync(string name, string version)
    {
        JsonNode? golden = null;
        await Poll.UntilAsync(async () =>
        {
            golden = (await Server.GetJsonAsync($"api/v1/models/{name}/versions/{version}"))["golden"];
            return golden is not null;
        }, TimeSpan.FromSeconds(30), $"{name} version {version}'s golden set recorded from live traffic");
        return golden!;
    }

    private async Task WaitProbesAsync(int cycles)
    {
        var hosts = (await Server.GetJsonAsync("api/v1/hosts"))["hosts"]!.AsArray();
        var id = (string)hosts[0]!["id"]!;
        var start = (string)(await Server.GetJsonAsync($"api/v1/hosts/{id}"))["last_probe"]!;
        var seen = new HashSet<string> { start };
        await Poll.UntilAsync(async () =>
        {
            seen.Add((string)(await Server.GetJsonAsync($"api/v1/hosts/{id}"))["last_probe"]!);
            return seen.Count > cycles;
        }, TimeSpan.FromSeconds(30), $"{cycles} more probe reports");
    }
}

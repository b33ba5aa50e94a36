using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Cluster;

/// <summary>Probes and the coordinator across two silo processes on a real Redis: a fault on one host, a silo that dies.</summary>
[Trait(Speed.Trait, Speed.Cluster)]
public sealed class HostProbeClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static readonly string[] Settings =
    [
        "--Fleet:Probes:Interval=00:00:01",
        "--Fleet:Coordinator:StatsInterval=00:00:01",
        "--Fleet:FaultInjection:Enabled=true",
    ];

    [Fact]
    public async Task A_golden_probe_failing_on_one_host_only_makes_that_host_reload_and_a_killed_silo_shows_as_gone()
    {
        await using var redis = await RedisServer.StartAsync();
        using var shared = new TempDirectory();
        var clusterId = Names.Model("hp");
        var data = Path.Combine(shared.Path, "data");
        var startA = SiloProcess.StartAsync(redis, clusterId, data, shared.Path, Settings);
        var startB = SiloProcess.StartAsync(redis, clusterId, data, shared.Path, Settings);
        await using var a = await startA;
        await using var b = await startB;
        var idA = (string)JsonNode.Parse(await a.Client.GetStringAsync("api/v1/status"))!["host"]!["silo"]!;
        var idB = (string)JsonNode.Parse(await b.Client.GetStringAsync("api/v1/status"))!["host"]!["silo"]!;

        var name = Names.Model("rl");
        Assert.Equal(HttpStatusCode.Created, (await a.Client.PostAsync("api/v1/models", Json(new { name, task = "classification" }))).StatusCode);
        var v1Sha = (string)(await UploadAsync(a, name, "1", Repo.Sample("wine", "model.onnx")))["sha256"]!;
        await UploadAsync(a, name, "2", Repo.Sample("testing", "wine-v2.onnx"));
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsync($"api/v1/models/{name}/versions/1/promote", Json(new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsync($"api/v1/models/{name}/versions/2/promote", Json(new { }))).StatusCode);
        await WaitServing(a, name, "2");
        await WaitServing(b, name, "2");
        await Poll.UntilAsync(async () => Hosts(await a.Client.GetStringAsync("api/v1/hosts")).Count(h => (string)h["status"]! == "healthy") == 2,
            Wait, "both hosts healthy");

        // Version 2 runs version 1's weights on A only: A's golden probe fails, B's passes.
        var faultAt = DateTimeOffset.UtcNow;
        var fault = await a.Client.PostAsync("api/v1/faults", Json(new { model = name, version = "2", kind = "weights", artifact_sha256 = v1Sha }));
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        JsonNode? reload = null;
        await Poll.UntilAsync(async () => (reload = JsonNode.Parse(await b.Client.GetStringAsync($"api/v1/decisions?model={name}"))!["decisions"]!.AsArray()
            .FirstOrDefault(d => (string)d!["action"]! == "reload" && (string)d["status"]! == "done")) is not null, Wait, "a reload decision");

        Assert.Equal((idA, "2", "2", "golden_some_hosts"), ((string)reload!["host"]!, (string)reload["from_version"]!, (string)reload["to_version"]!, (string)reload["evidence"]!["trigger"]!));
        Assert.StartsWith($"version 2 fails its golden probe on host {idA} only (1 of 2 hosts): golden outputs differ", (string)reload["reason"]!);
        Assert.Contains($"host {idB}: version 2 passing", reload["evidence"]!["signals"]!.AsArray().Select(s => (string)s!));
        JsonNode? done = null;
        await Poll.UntilAsync(async () => (done = JsonNode.Parse(await b.Client.GetStringAsync($"api/v1/hosts/{idA}"))!["commands"]!.AsArray()
            .FirstOrDefault(c => (string)c!["id"]! == (string)reload["id"]!)) is not null, Wait, "A's reload result");
        Assert.True((bool)done!["ok"]!, done.ToJsonString());
        await WaitServing(a, name, "2"); // A passes its probes again on a session loaded from the verified artifact
        var recovered = DateTimeOffset.UtcNow - faultAt;
        var decided = DateTimeOffset.Parse((string)reload["time"]!, System.Globalization.CultureInfo.InvariantCulture) - faultAt;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"measured: swapped weights on one of two hosts (golden probe): fault -> reload decision {decided.TotalSeconds:0.00} s, fault -> host ready again {recovered.TotalSeconds:0.00} s");
        var decisions = JsonNode.Parse(await a.Client.GetStringAsync($"api/v1/decisions?model={name}"))!["decisions"]!.AsArray();
        Assert.DoesNotContain(decisions, d => (string)d!["action"]! == "rollback");
        Assert.Equal("2", (string)JsonNode.Parse(await a.Client.GetStringAsync($"api/v1/models/{name}"))!["live_version"]!);

        // B dies: A lists it as gone once membership declares it dead.
        await b.KillAsync();
        JsonNode? gone = null;
        await Poll.UntilAsync(async () =>
        {
            var response = await a.Client.GetAsync("api/v1/hosts");
            gone = response.StatusCode == HttpStatusCode.OK ? Hosts(await response.Content.ReadAsStringAsync()).Single(h => (string)h["id"]! == idB) : null;
            return gone is not null && (string)gone["membership"]! == "dead";
        }, Wait, "B declared dead");
        Assert.Equal("unhealthy", (string)gone!["status"]!);
        Assert.StartsWith($"gone: membership declared silo '{idB}' dead (last report ", (string)gone["reasons"]![0]!);
    }

    private static JsonObject[] Hosts(string json) => JsonNode.Parse(json)!["hosts"]!.AsArray().Select(h => h!.AsObject()).ToArray();

    private static async Task<JsonNode> UploadAsync(SiloProcess silo, string name, string version, string onnx)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(onnx)), "file", Path.GetFileName(onnx) },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("wine", "reference_labeled.csv"))), "reference", "reference_labeled.csv" },
            { new StringContent("target"), "label_column" },
            { new StringContent(version), "version" },
        };
        var response = await silo.Client.PostAsync($"api/v1/models/{name}/versions", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!;
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static Task WaitServing(SiloProcess silo, string model, string version) =>
        Poll.UntilAsync(async () =>
        {
            var response = await silo.Client.GetAsync($"v2/models/{model}/ready");
            return response.StatusCode == HttpStatusCode.OK && (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["version"] == version;
        }, Wait, $"{model} {version} serving on {silo.BaseAddress}");
}

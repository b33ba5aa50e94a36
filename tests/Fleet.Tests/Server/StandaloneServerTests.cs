using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

/// <summary>Tests that need a server of their own (restarts, tokens, limits, a corrupted store).</summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class StandaloneServerTests
{
    [Fact]
    public async Task State_survives_a_restart_of_the_embedded_server()
    {
        using var data = new TempDirectory();
        var name = Names.Model("persist");
        await using (var first = await FleetServer.StartAsync(data.Path))
        {
            await first.RegisterAsync(name);
            await first.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");
            await first.UploadAsync(name, Repo.Sample("testing", "wine-v2.onnx"), "2");
            await first.PromoteAsync(name, "1");
            await first.PromoteAsync(name, "2");
        }

        await using var second = await FleetServer.StartAsync(data.Path);

        var info = await second.GetJsonAsync($"api/v1/models/{name}");
        Assert.Equal("2", (string)info["live_version"]!);
        Assert.Equal(["retired", "live"], info["versions"]!.AsArray().Select(v => (string)v!["state"]!).ToArray());
        var audit = await second.GetJsonAsync($"api/v1/models/{name}/audit");
        Assert.Equal(["register", "add-version", "add-version", "promote", "promote"], audit["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToArray());
        var golden = Golden.Load(Repo.Sample("testing", "wine-v2.golden.json"));
        var (status, body) = await second.PostJsonAsync($"v2/models/{name}/infer", golden.Request.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        golden.AssertMatches(body!);
        var models = await second.GetJsonAsync("api/v1/models");
        Assert.Equal(4, models["models"]!.AsArray().Count); // three samples, seeded once, plus ours
    }

    [Fact]
    public async Task A_second_embedded_server_on_the_same_data_directory_is_refused()
    {
        using var data = new TempDirectory();
        await using var first = await FleetServer.StartAsync(data.Path);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => FleetServer.StartAsync(data.Path));

        Assert.Contains($"Fleet:DataDirectory '{data.Path}' is in use by another Fleet server", error.ToString());
    }

    [Fact]
    public async Task Two_embedded_servers_with_their_own_directories_run_side_by_side()
    {
        await using var a = await FleetServer.StartAsync();
        await using var b = await FleetServer.StartAsync();
        var request = await File.ReadAllTextAsync(Repo.Sample("wine", "request.json"));

        var (statusA, _) = await a.PostJsonAsync("v2/models/wine/infer", request);
        var (statusB, _) = await b.PostJsonAsync("v2/models/wine/infer", request);

        Assert.Equal(HttpStatusCode.OK, statusA);
        Assert.Equal(HttpStatusCode.OK, statusB);
        Assert.NotEqual((string)(await a.GetJsonAsync("api/v1/status"))["host"]!["address"]!, (string)(await b.GetJsonAsync("api/v1/status"))["host"]!["address"]!);
    }

    [Fact]
    public async Task The_legacy_admin_token_is_a_token_named_admin()
    {
        await using var server = await FleetServer.StartAsync(null, "--Fleet:AdminToken=s3cret-0123456789abc");

        var (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("authorization: missing 'Authorization: Bearer <token>'", (string)body!["error"]!);

        (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, token: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authorization: the token is not one this server knows (mistyped, revoked, or from another cluster)", (string)body!["error"]!);

        (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/tokens/me", null, token: "s3cret-0123456789abc");
        Assert.Equal((HttpStatusCode.OK, "admin", "admin"), (status, (string)body!["name"]!, (string)body["role"]!));

        (status, _) = await server.PostJsonAsync("v2/models/wine/infer", await File.ReadAllTextAsync(Repo.Sample("wine", "request.json")));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("v2/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Body_over_the_configured_limit_is_a_400_naming_the_limit()
    {
        await using var server = await FleetServer.StartAsync(null, "--Fleet:MaxRequestBodyBytes=2048");
        var big = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,13],\"datatype\":\"FP32\",\"data\":[" + string.Join(",", Enumerable.Repeat("1.0", 1000)) + "]}]}";

        var (status, body) = await server.PostJsonAsync("v2/models/wine/infer", big);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"body: {System.Text.Encoding.UTF8.GetByteCount(big)} bytes exceeds the limit of 2048 bytes (Fleet:MaxRequestBodyBytes)", (string)body!["error"]!);
    }

    [Fact]
    public async Task Feedback_is_bounded_by_the_body_limit_and_the_batch_size_and_long_values_are_not_echoed()
    {
        await using var server = await FleetServer.StartAsync(null, "--Fleet:MaxRequestBodyBytes=2048");
        var name = Names.Model("bounded");
        await server.RegisterAsync(name);

        // Before, this endpoint read the stream without any limit (a 100 MB body was taken).
        var labels = Enumerable.Range(0, 100).Select(i => new { id = $"request-{i}", label = 1 }).ToArray();
        var big = System.Text.Json.JsonSerializer.Serialize(new { model = name, labels });
        var (status, body) = await server.PostJsonAsync("api/v1/feedback", big);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"body: {System.Text.Encoding.UTF8.GetByteCount(big)} bytes exceeds the limit of 2048 bytes (Fleet:MaxRequestBodyBytes)", (string)body!["error"]!);

        // Within the body limit, the error quoting a long model name stops at 1,000 characters and says how much it left out.
        var longName = new string('x', 1500);
        (status, body) = await server.PostJsonAsync("api/v1/feedback", System.Text.Json.JsonSerializer.Serialize(new { model = longName, labels = new[] { new { id = "r", label = 1 } } }));
        var error = (string)body!["error"]!;
        Assert.True(status == HttpStatusCode.NotFound, error);
        Assert.Equal("model '" + new string('x', 993) + "... (518 more characters not shown)", error); // the whole message was 1,518 characters
    }

    [Fact]
    public async Task A_feedback_batch_over_ten_thousand_labels_is_refused_whole()
    {
        await using var server = await FleetServer.StartAsync();
        var name = Names.Model("batch");
        await server.RegisterAsync(name);
        var labels = Enumerable.Range(0, 10_001).Select(i => new { id = $"r{i}", label = 0 }).ToArray();

        var (status, body) = await server.PostJsonAsync("api/v1/feedback", System.Text.Json.JsonSerializer.Serialize(new { model = name, labels }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("labels: 10001 in one batch, at most 10000 (send them in batches; a version keeps its newest 20000)", (string)body!["error"]!);
        var (ok, accepted) = await server.PostJsonAsync("api/v1/feedback", System.Text.Json.JsonSerializer.Serialize(new { model = name, labels = labels[..10_000] }));
        Assert.True(ok == HttpStatusCode.OK, accepted?.ToJsonString());
        Assert.Equal((10_000, 10_000), ((int)accepted!["unknown"]!, (int)accepted["received"]!));
    }

    [Fact]
    public async Task Checksum_mismatch_refuses_the_load_and_shows_in_status()
    {
        // The coordinator would roll back to version 1 at once (load_failed_all_hosts, tested in ProbingServerTests): off here.
        await using var server = await FleetServer.StartAsync(null, "--Fleet:Coordinator:Enabled=false");
        var name = Names.Model("tamper");
        await server.RegisterAsync(name);
        var v1 = await server.UploadWithGoldenAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("wine", "golden.json"), "1");
        var v2 = await server.UploadAsync(name, Repo.Sample("testing", "wine-v2.onnx"), "2");
        await server.PromoteAsync(name, "1");
        await server.WaitServingAsync(name, "1");

        // Someone overwrites version 2's stored artifact with other weights.
        var sha2 = (string)v2["sha256"]!;
        var path = Path.Combine(server.DataDirectory, "artifacts", "sha256", sha2[..2], sha2 + ".onnx");
        File.Copy(Repo.Sample("breast-cancer", "model.onnx"), path, overwrite: true);
        await server.PromoteAsync(name, "2");

        await Poll.UntilAsync(async () =>
        {
            var status = await server.GetJsonAsync("api/v1/status");
            var model = status["models"]!.AsArray().Single(m => (string)m!["name"]! == name)!;
            return model["loaded"]!.AsArray().Any(l => (string)l!["state"]! == "failed");
        }, TimeSpan.FromSeconds(30), "the failed load to show in status");

        var status = await server.GetJsonAsync("api/v1/status");
        var entry = status["models"]!.AsArray().Single(m => (string)m!["name"]! == name)!;
        var failed = entry["loaded"]!.AsArray().Single(l => (string)l!["state"]! == "failed")!;
        Assert.Equal("2", (string)failed["version"]!);
        Assert.StartsWith($"checksum mismatch: artifact file {path} has SHA-256 ", (string)failed["error"]!);
        Assert.EndsWith($"the registry expects {sha2}; refusing to load it", (string)failed["error"]!);
        // The verified previous version keeps serving; readiness tells the truth.
        Assert.Equal("1", (string)entry["serving_version"]!);
        var ready = await server.Client.GetAsync($"v2/models/{name}/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("checksum mismatch", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("v2/health/ready")).StatusCode);
        var info = await server.GetJsonAsync($"api/v1/models/{name}");
        Assert.Contains(info["hosts"]!.AsArray(), h => (string)h!["version"]! == "2" && (string)h["state"]! == "failed");
        Assert.NotEqual((string)v1["sha256"]!, sha2);
    }
}

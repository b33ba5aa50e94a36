using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Server;

[Collection(ServerCollection.Name)]
[Trait(Speed.Trait, Speed.Server)]
public sealed class RegistryApiTests(ServerFixture fixture)
{
    private FleetServer Server => fixture.Server;

    [Fact]
    public async Task Register_upload_promote_rollback_and_audit()
    {
        var name = Names.Model("wine");
        await Server.RegisterAsync(name);
        var v1 = await Server.UploadWithGoldenAsync(name, Repo.Sample("wine", "model.onnx"), Repo.Sample("wine", "golden.json"), "1");
        Assert.Equal("1", (string)v1["version"]!);
        Assert.Equal("staged", (string)v1["state"]!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Repo.Sample("wine", "model.onnx")))), (string)v1["sha256"]!);
        Assert.Equal(new FileInfo(Repo.Sample("wine", "model.onnx")).Length, (long)v1["size_bytes"]!);
        Assert.Equal("input", (string)v1["inputs"]![0]!["name"]!);
        Assert.Equal("[-1,13]", v1["inputs"]![0]!["shape"]!.ToJsonString());

        await Server.PromoteAsync(name, "1");
        var v2 = await Server.UploadAsync(name, Repo.Sample("testing", "wine-v2.onnx"), "v2");
        Assert.Equal("v2", (string)v2["version"]!);
        await Server.PromoteAsync(name, "v2");
        await Server.WaitServingAsync(name, "v2");

        var (status, rollback) = await Server.PostJsonAsync($"api/v1/models/{name}/rollback", new { reason = "bad canary" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", (string)rollback!["live_version"]!);
        Assert.Equal("v2", (string)rollback["previous_live_version"]!);
        await Server.WaitServingAsync(name, "1");

        var versions = await Server.GetJsonAsync($"api/v1/models/{name}/versions");
        Assert.Equal(["live", "retired"], versions["versions"]!.AsArray().Select(v => (string)v!["state"]!).ToArray());

        var audit = await Server.GetJsonAsync($"api/v1/models/{name}/audit");
        Assert.Equal(["register", "add-version", "promote", "add-version", "promote", "rollback"],
            audit["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToArray());
        var last = audit["entries"]!.AsArray().Last()!;
        Assert.Equal("v2", (string)last["from"]!);
        Assert.Equal("1", (string)last["to"]!);
        Assert.Equal("bad canary", (string)last["reason"]!);

        var models = await Server.GetJsonAsync("api/v1/models");
        var summary = models["models"]!.AsArray().Single(m => (string)m!["name"]! == name)!;
        Assert.Equal("1", (string)summary["live_version"]!);
        Assert.Equal(2, (int)summary["version_count"]!);
    }

    [Fact]
    public async Task Multipart_upload_with_form_fields()
    {
        var name = Names.Model("mp");
        await Server.RegisterAsync(name);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("wine", "model.onnx")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "model.onnx");
        form.Add(new StringContent("2024-01"), "version");
        form.Add(new StringContent("trained on january data"), "note");

        var response = await Server.Client.PostAsync($"api/v1/models/{name}/versions", form);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("2024-01", (string)body["version"]!);
        Assert.Equal("trained on january data", (string)body["note"]!);
    }

    [Fact]
    public async Task Refused_uploads_change_nothing()
    {
        var name = Names.Model("bad");
        await Server.RegisterAsync(name);
        await Server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");
        var artifactsBefore = Directory.GetFiles(Path.Combine(Server.DataDirectory, "artifacts"), "*", SearchOption.AllDirectories).Length;

        using var garbage = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("testing", "not-a-model.onnx")));
        var response = await Server.Client.PostAsync($"api/v1/models/{name}/versions?version=2", garbage);
        var error = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("file: not a loadable ONNX model: ", error);

        using var duplicate = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("wine", "model.onnx")));
        response = await Server.Client.PostAsync($"api/v1/models/{name}/versions?version=1", duplicate);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"version: model '{name}' already has a version '1'", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);

        using var empty = new ByteArrayContent([]);
        response = await Server.Client.PostAsync($"api/v1/models/{name}/versions", empty);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var badId = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("wine", "model.onnx")));
        response = await Server.Client.PostAsync($"api/v1/models/{name}/versions?version=..%2Fetc", badId);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("version: '../etc' is not a valid version id", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);

        var versions = await Server.GetJsonAsync($"api/v1/models/{name}/versions");
        Assert.Single(versions["versions"]!.AsArray());
        Assert.Equal(artifactsBefore, Directory.GetFiles(Path.Combine(Server.DataDirectory, "artifacts"), "*", SearchOption.AllDirectories).Length);
        var audit = await Server.GetJsonAsync($"api/v1/models/{name}/audit");
        Assert.Equal(2, audit["entries"]!.AsArray().Count);
    }

    public static TheoryData<string, HttpStatusCode, string> BadRegistrations => new()
    {
        { """{"name":"Bad Name","task":"classification"}""", HttpStatusCode.BadRequest, "name: 'Bad Name' is not a valid model name (must match [a-z0-9][a-z0-9._-]{0,62})" },
        { """{"name":"../etc","task":"classification"}""", HttpStatusCode.BadRequest, "name: '../etc' is not a valid model name (must match [a-z0-9][a-z0-9._-]{0,62})" },
        { """{"task":"classification"}""", HttpStatusCode.BadRequest, "name: missing" },
        { """{"name":"ok-name","task":"ranking"}""", HttpStatusCode.BadRequest, "task: 'ranking' is not one of classification, regression, embedding, other" },
        { """{"name":"ok-name"}""", HttpStatusCode.BadRequest, "task: missing (classification, regression, embedding or other)" },
        { """{"name":"wine","task":"classification"}""", HttpStatusCode.Conflict, "name: model 'wine' is already registered" },
        { "", HttpStatusCode.BadRequest, "body: empty; expected a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_are_refused(string body, HttpStatusCode expectedStatus, string expectedError)
    {
        var (status, response) = await Server.PostJsonAsync("api/v1/models", body);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedError, (string)response!["error"]!);
    }

    [Fact]
    public async Task Admin_body_that_is_not_json_names_the_body()
    {
        var (status, response) = await Server.PostJsonAsync("api/v1/models", "{oops");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("body: not valid JSON for this request", (string)response!["error"]!);
    }

    [Fact]
    public async Task Lifecycle_conflicts_are_409_and_change_nothing()
    {
        var name = Names.Model("life");
        await Server.RegisterAsync(name);
        await Server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");

        var (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/rollback", new { });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"model '{name}' has no last-known-good version (no earlier live version that is not quarantined and has a golden set)", (string)body!["error"]!);

        (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/versions/1/quarantine", new { reason = "bad weights" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("quarantined", (string)body!["state"]!);

        (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/versions/1/promote", new { });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"version: '1' of model '{name}' is quarantined and cannot go live", (string)body!["error"]!);

        (status, body) = await Server.PostJsonAsync($"api/v1/models/{name}/versions/9/promote", new { });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"version: model '{name}' has no version '9'", (string)body!["error"]!);

        (status, body) = await Server.PostJsonAsync("api/v1/models/never-registered-x/versions/1/promote", new { });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model 'never-registered-x' not found", (string)body!["error"]!);

        var info = await Server.GetJsonAsync($"api/v1/models/{name}");
        Assert.Null((string?)info["live_version"]);
        Assert.Equal("quarantined", (string)info["versions"]![0]!["state"]!);
    }

    [Fact]
    public async Task Model_without_live_version_is_503_with_reason()
    {
        var name = Names.Model("nolive");
        await Server.RegisterAsync(name);

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/infer", "{}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal($"model '{name}' has no live version", (string)body!["error"]!);
    }

    [Fact]
    public async Task Staged_version_is_served_on_its_versioned_endpoint_before_promotion()
    {
        var name = Names.Model("staged");
        await Server.RegisterAsync(name);
        await Server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1");
        await Server.PromoteAsync(name, "1");
        await Server.UploadAsync(name, Repo.Sample("testing", "wine-v2.onnx"), "2");
        var golden = Golden.Load(Repo.Sample("testing", "wine-v2.golden.json"));

        var (status, body) = await Server.PostJsonAsync($"v2/models/{name}/versions/2/infer", golden.Request.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2", (string)body!["model_version"]!);
        golden.AssertMatches(body);

        // Once quarantined, the loaded session is dropped and the version is refused.
        (status, _) = await Server.PostJsonAsync($"api/v1/models/{name}/versions/2/quarantine", new { reason = "bad" });
        Assert.Equal(HttpStatusCode.OK, status);
        await Poll.UntilAsync(async () =>
            (await Server.PostJsonAsync($"v2/models/{name}/versions/2/infer", golden.Request.ToJsonString())).Status == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30), "the quarantined version to be refused");
        (status, body) = await Server.PostJsonAsync($"v2/models/{name}/versions/2/infer", golden.Request.ToJsonString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal($"version '2' of model '{name}' is quarantined and is not served", (string)body!["error"]!);
    }
}

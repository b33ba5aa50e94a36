using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Server.Hosting;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Security;

/// <summary>Identities, roles, protected mode and listeners on a real embedded server, as a deployment script meets them.</summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class AccessServerTests
{
    private const string ReadSecret = "read-secret-0123456789";
    private const string OpsSecret = "ops-secret-0123456789";
    private const string RootSecret = "root-secret-0123456789";

    private static string[] Tokens(string secretFile) =>
    [
        "--Fleet:Security:Tokens:0:Name=ci", "--Fleet:Security:Tokens:0:Role=read", $"--Fleet:Security:Tokens:0:Secret={ReadSecret}",
        "--Fleet:Security:Tokens:1:Name=ops", "--Fleet:Security:Tokens:1:Role=operate", $"--Fleet:Security:Tokens:1:SecretFile={secretFile}",
        "--Fleet:Security:Tokens:2:Name=root", "--Fleet:Security:Tokens:2:Role=admin", $"--Fleet:Security:Tokens:2:Secret={RootSecret}",
    ];

    [Fact]
    public async Task Each_role_does_what_it_may_and_is_refused_the_rest_by_name()
    {
        using var secrets = new TempDirectory();
        var opsFile = Path.Combine(secrets.Path, "ops");
        await File.WriteAllTextAsync(opsFile, OpsSecret + "\n");
        await using var server = await FleetServer.StartAsync(null, Tokens(opsFile));
        var name = Names.Model("roles");

        // Without a token the admin API is 401 even from loopback; a wrong token is 401 too.
        var (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null);
        Assert.Equal((HttpStatusCode.Unauthorized, "authorization: missing 'Authorization: Bearer <token>' (reading needs a token with role read; the CLI sends FLEET_TOKEN)"),
            (status, (string)body!["error"]!));
        (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, token: "not-a-token-at-all");
        Assert.Equal((HttpStatusCode.Unauthorized, "authorization: the token is not one this server knows (mistyped, revoked, or from another cluster)"),
            (status, (string)body!["error"]!));

        // read: GET everything, change nothing.
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, ReadSecret)).Status);
        (status, body) = await server.PostJsonAsync("api/v1/models", new { name, task = "classification" }, ReadSecret);
        Assert.Equal((HttpStatusCode.Forbidden, "token 'ci' has role read; registering a model needs admin"), (status, (string)body!["error"]!));
        (status, body) = await server.PostJsonAsync("api/v1/feedback", new { model = "wine", labels = Array.Empty<object>() }, ReadSecret);
        Assert.Equal((HttpStatusCode.Forbidden, "token 'ci' has role read; sending labels needs ingest"), (status, (string)body!["error"]!));

        // admin registers and uploads; operate promotes and pins but may not upload.
        await server.RegisterAsync(name, token: RootSecret);
        await server.UploadAsync(name, Repo.Sample("wine", "model.onnx"), "1", RootSecret);
        (status, body) = await server.PostJsonAsync($"api/v1/models/{name}/versions/1/promote", new { reason = "t" }, ReadSecret);
        Assert.Equal((HttpStatusCode.Forbidden, "token 'ci' has role read; promote needs operate"), (status, (string)body!["error"]!));
        using (var upload = new HttpRequestMessage(HttpMethod.Post, $"api/v1/models/{name}/versions?version=2")
               { Content = new ByteArrayContent(await File.ReadAllBytesAsync(Repo.Sample("testing", "wine-v2.onnx"))) })
        {
            upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsSecret);
            var response = await server.Client.SendAsync(upload);
            Assert.Equal((HttpStatusCode.Forbidden, "token 'ops' has role operate; uploading a version needs admin"),
                (response.StatusCode, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!));
        }

        // The CLI's identity is the token; the client's Fleet-Actor (USER=ci-bot) is a note beside it.
        await server.PromoteAsync(name, "1", OpsSecret);
        var pin = await FleetCommand.RunAsync(server, OpsSecret, "pin", name, "1", "--reason", "drill");
        Assert.Equal((0, $"{name}: pinned to version 1 by ops (Fleet-Actor: ci-bot)\n", ""), (pin.Exit, pin.Out, pin.Error));
        var audit = await FleetCommand.RunAsync(server, ReadSecret, "audit", name, "--output", "json");
        Assert.Equal("ops (Fleet-Actor: ci-bot)", (string)JsonNode.Parse(audit.Out)!["entries"]!.AsArray()[^1]!["actor"]!);
        var refused = await FleetCommand.RunAsync(server, ReadSecret, "unpin", name);
        Assert.Equal((1, "error: token 'ci' has role read; unpin needs operate (HTTP 403)\n"), (refused.Exit, refused.Error));

        // Inference stays open; health is open; /metrics needs read.
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("v2/models/wine/infer", await File.ReadAllTextAsync(Repo.Sample("wine", "request.json")))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("metrics")).StatusCode);
        using (var metrics = new HttpRequestMessage(HttpMethod.Get, "metrics"))
        {
            metrics.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadSecret);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(metrics)).StatusCode);
        }

        // The dashboard asks a browser for credentials and takes a token as the Basic password.
        var dashboard = await server.Client.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
        Assert.Equal("Basic realm=\"fleet\", charset=\"UTF-8\"", dashboard.Headers.WwwAuthenticate.ToString());
        using (var basic = new HttpRequestMessage(HttpMethod.Get, "dashboard/"))
        {
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:" + ReadSecret)));
            Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(basic)).StatusCode);
        }
    }

    [Fact]
    public async Task Tokens_are_added_listed_and_revoked_without_a_restart_and_survive_one()
    {
        using var data = new TempDirectory();
        using var secrets = new TempDirectory();
        var opsFile = Path.Combine(secrets.Path, "ops");
        await File.WriteAllTextAsync(opsFile, OpsSecret);
        string deploy;
        await using (var server = await FleetServer.StartAsync(data.Path, Tokens(opsFile)))
        {
            var add = await FleetCommand.RunAsync(server, RootSecret, "tokens", "add", "deploy", "--role", "operate");
            Assert.Equal(0, add.Exit);
            deploy = add.Out.Trim();
            Assert.StartsWith("fleet_", deploy);
            Assert.Equal("token 'deploy' (role operate) added; the secret is shown only this once: store it now (the server keeps its SHA-256 only)\n", add.Error);

            var me = await FleetCommand.RunAsync(server, deploy, "tokens", "whoami");
            Assert.Equal((0, "deploy (role operate, api)\n"), (me.Exit, me.Out));
            var refused = await FleetCommand.RunAsync(server, OpsSecret, "tokens", "add", "more", "--role", "admin");
            Assert.Equal("error: token 'ops' has role operate; adding a token needs admin (HTTP 403)\n", refused.Error);
            Assert.Equal(1, refused.Exit);
            var clash = await FleetCommand.RunAsync(server, RootSecret, "tokens", "add", "ci", "--role", "read");
            Assert.Equal((1, "error: token 'ci' is defined in settings (Fleet:Security:Tokens); pick another name (HTTP 409)\n"), (clash.Exit, clash.Error));

            var list = await FleetCommand.RunAsync(server, RootSecret, "tokens", "list", "--output", "json");
            var listed = JsonNode.Parse(list.Out)!;
            Assert.Equal([("ci", "read", "config"), ("ops", "operate", "config"), ("root", "admin", "config"), ("deploy", "operate", "api")],
                listed["tokens"]!.AsArray().Select(t => ((string)t!["name"]!, (string)t["role"]!, (string)t["source"]!)).ToArray());
            Assert.Equal("root (Fleet-Actor: ci-bot)", (string)listed["tokens"]![3]!["created_by"]!);
            Assert.True(listed.AsObject().ContainsKey("refresh_failure") && listed["refresh_failure"] is null, list.Out);
            Assert.DoesNotContain(deploy, list.Out);
            Assert.DoesNotContain(ReadSecret, list.Out);
        }

        // A restart keeps the run-time token (stored hashed in the grain state, never in the clear).
        await using (var server = await FleetServer.StartAsync(data.Path, Tokens(opsFile)))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, deploy)).Status);
            foreach (var file in Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "fleet.lock"))
            {
                Assert.False((await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(deploy)) >= 0, $"{file} holds the secret");
            }

            var revoke = await FleetCommand.RunAsync(server, RootSecret, "tokens", "revoke", "deploy");
            Assert.Equal((0, "token 'deploy' (role operate) revoked\n"), (revoke.Exit, revoke.Out));
            var (status, body) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, deploy);
            Assert.Equal((HttpStatusCode.Unauthorized, "authorization: the token is not one this server knows (mistyped, revoked, or from another cluster)"),
                (status, (string)body!["error"]!));
            var settingsToken = await FleetCommand.RunAsync(server, RootSecret, "tokens", "revoke", "ci");
            Assert.Equal((1, "error: token 'ci' is defined in settings (Fleet:Security:Tokens); remove it there and restart (HTTP 409)\n"), (settingsToken.Exit, settingsToken.Error));
        }
    }

    [Fact]
    public async Task Protected_mode_serves_loopback_until_the_first_token_then_needs_it()
    {
        await using var server = await FleetServer.StartAsync();
        var me = await FleetCommand.RunAsync(server, null, "tokens", "whoami");
        Assert.Equal((0, "anonymous (role admin, protected mode (loopback, no token configured))\n"), (me.Exit, me.Out));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("metrics")).StatusCode);

        var add = await FleetCommand.RunAsync(server, null, "tokens", "add", "first", "--role", "admin");
        Assert.Equal(0, add.Exit);
        var first = add.Out.Trim();

        var (status, _) = await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Get, "api/v1/models", null, first)).Status);
        var list = await FleetCommand.RunAsync(server, first, "tokens", "list", "--output", "json");
        Assert.Equal("anonymous (Fleet-Actor: ci-bot)", (string)JsonNode.Parse(list.Out)!["tokens"]![0]!["created_by"]!);
    }

    [Fact]
    public async Task A_non_loopback_bind_without_a_token_refuses_to_start_unless_anonymous_admin_is_allowed()
    {
        using var data = new TempDirectory();
        var port = FleetServer.FreeTcpPort();
        string[] args = [$"--urls=http://0.0.0.0:{port}", $"--Fleet:DataDirectory={data.Path}", $"--Fleet:SamplesDirectory={Repo.Samples}",
            "--Fleet:SampleModels=false", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans=Error"];
        await using (var app = FleetServerExtensions.CreateApp(args))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.StartsWith($"Fleet refuses to start: it would listen on http://0.0.0.0:{port} (not loopback) with no token configured", refused.Message);
            Assert.Contains("Fleet:Security:AllowAnonymousAdmin=true", refused.Message);
        }

        await using (var app = FleetServerExtensions.CreateApp([.. args, "--Fleet:Security:AllowAnonymousAdmin=true"]))
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/models")).StatusCode);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task An_admin_listener_separates_admin_from_inference_and_inference_can_require_a_token()
    {
        var adminPort = FleetServer.FreeTcpPort();
        await using var server = await FleetServer.StartAsync(null,
            "--Fleet:Security:Tokens:0:Name=ci", "--Fleet:Security:Tokens:0:Role=read", $"--Fleet:Security:Tokens:0:Secret={ReadSecret}",
            $"--Fleet:Security:AdminUrls=http://127.0.0.1:{adminPort}", "--Fleet:Security:InferenceRequiresToken=true");
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReadSecret);
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReadSecret);
        var request = await File.ReadAllTextAsync(Repo.Sample("wine", "request.json"));

        var onMain = await server.Client.GetAsync("api/v1/models");
        Assert.Equal((HttpStatusCode.NotFound, "the admin API is served on the admin listener (Fleet:Security:AdminUrls), not on this one"),
            (onMain.StatusCode, (string)JsonNode.Parse(await onMain.Content.ReadAsStringAsync())!["error"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("metrics")).StatusCode);
        var inferOnAdmin = await admin.PostAsync("v2/models/wine/infer", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, inferOnAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("v2/health/ready")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("v2/models/wine/infer", new StringContent(request, Encoding.UTF8, "application/json"))).StatusCode);
        server.Client.DefaultRequestHeaders.Authorization = null;
        var anonymous = await server.Client.PostAsync("v2/models/wine/infer", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("authorization: inference requires a token (Fleet:Security:InferenceRequiresToken)",
            (string)JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["error"]!);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("v2/health/ready")).StatusCode);
    }
}

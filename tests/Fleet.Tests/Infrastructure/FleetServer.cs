using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A real Fleet server hosted in the test process: the same AddFleetServer/MapFleetServer as Program.cs,
/// Kestrel on a free loopback port, embedded (Local) mode with its own data directory.
/// </summary>
public sealed class FleetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownedData;

    private FleetServer(WebApplication app, Uri baseAddress, string dataDirectory, TempDirectory? ownedData)
    {
        _app = app;
        _ownedData = ownedData;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<FleetServer> StartAsync(string? dataDirectory = null, params string[] settings)
    {
        var server = await StartWithoutWaitingAsync(dataDirectory, settings);
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>Started, but not waited on to be ready: for tests of a server that must say why it is not.</summary>
    public static async Task<FleetServer> StartWithoutWaitingAsync(string? dataDirectory, params string[] settings)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var data = dataDirectory ?? owned!.Path;
        var port = FreeTcpPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        string[] args =
        [
            $"--urls={baseAddress.ToString().TrimEnd('/')}",
            $"--Fleet:DataDirectory={data}",
            $"--Fleet:SamplesDirectory={Repo.Samples}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            .. settings,
        ];
        var app = FleetServerExtensions.CreateApp(args);
        await app.StartAsync();
        return new FleetServer(app, baseAddress, data, owned);
    }

    /// <summary>Waits for /v2/health/ready = 200 (bounded; the server answers 503 until its routes are loaded).</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        await Poll.UntilAsync(async () => (await Client.GetAsync("v2/health/ready")).StatusCode == HttpStatusCode.OK,
            timeout ?? TimeSpan.FromSeconds(60), "server ready");
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(HttpMethod method, string path, object? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string s ? new StringContent(s, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostJsonAsync(string path, object? body, string? token = null) =>
        SendJsonAsync(HttpMethod.Post, path, body, token);

    /// <summary>Registers a model and uploads a version through the admin API.</summary>
    public async Task RegisterAsync(string name, string task = "classification", string? token = null)
    {
        var (status, body) = await PostJsonAsync("api/v1/models", new { name, task, description = "test model" }, token);
        Assert.True(status == HttpStatusCode.Created, $"register {name}: {(int)status} {body?.ToJsonString()}");
    }

    public async Task<JsonNode> UploadAsync(string name, string onnxPath, string? version = null, string? token = null)
    {
        var url = $"api/v1/models/{name}/versions" + (version is null ? string.Empty : $"?version={version}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(await File.ReadAllBytesAsync(onnxPath)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload {name}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Uploads a version with a golden file (multipart): it then has a golden set and can become a last-known-good.</summary>
    public async Task<JsonNode> UploadWithGoldenAsync(string name, string onnxPath, string goldenPath, string version)
    {
        var (status, body) = await TryUploadWithGoldenAsync(name, onnxPath, goldenPath, version);
        Assert.True(status == HttpStatusCode.Created, $"upload {name}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> TryUploadWithGoldenAsync(string name, string onnxPath, string goldenPath, string version)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(onnxPath)), "file", Path.GetFileName(onnxPath));
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(goldenPath)), "golden", Path.GetFileName(goldenPath));
        form.Add(new StringContent(version), "version");
        var response = await Client.PostAsync($"api/v1/models/{name}/versions", form);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Uploads a version with a reference CSV (multipart), so its contract is inferred from the reference.</summary>
    public async Task<JsonNode> UploadWithReferenceAsync(string name, string onnxPath, string referenceCsv, string version, string? labelColumn = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(onnxPath)), "file", Path.GetFileName(onnxPath));
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(referenceCsv)), "reference", Path.GetFileName(referenceCsv));
        form.Add(new StringContent(version), "version");
        if (labelColumn is not null)
        {
            form.Add(new StringContent(labelColumn), "label_column");
        }

        var response = await Client.PostAsync($"api/v1/models/{name}/versions", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload {name}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task ConfigureAsync(string name, object settings)
    {
        var (status, body) = await SendJsonAsync(HttpMethod.Patch, $"api/v1/models/{name}/config", settings);
        Assert.True(status == HttpStatusCode.OK, $"config {name}: {(int)status} {body?.ToJsonString()}");
    }

    /// <summary>
    /// Waits until the coordinator has made <paramref name="version"/> live again (a rollback); a timeout names the
    /// model's decisions and signals, so a rollback that did not come says what was decided instead.
    /// </summary>
    public async Task WaitRolledBackAsync(string model, string version)
    {
        try
        {
            await Poll.UntilAsync(async () => (string?)(await GetJsonAsync($"api/v1/models/{model}"))["live_version"] == version,
                TimeSpan.FromSeconds(60), $"the rollback of {model} to version {version}");
        }
        catch (TimeoutException ex)
        {
            var decisions = await GetJsonAsync($"api/v1/decisions?model={model}");
            var signals = await GetJsonAsync($"api/v1/signals?model={model}");
            throw new TimeoutException($"{ex.Message}; decisions: {decisions.ToJsonString()}; signals: {signals.ToJsonString()}", ex);
        }
    }

    /// <summary>
    /// Waits until the registry names <paramref name="version"/> the last-known-good (an earlier live version with a
    /// golden set): without one a rollback is skipped ("no last-known-good"), so a test that expects one checks this first.
    /// </summary>
    public Task WaitLastKnownGoodAsync(string model, string version) =>
        Poll.UntilAsync(async () => (string?)(await GetJsonAsync($"api/v1/models/{model}"))["last_known_good"] == version,
            TimeSpan.FromSeconds(60), $"{model} version {version} the last-known-good");

    /// <summary>Waits until this silo serves <paramref name="live"/> with <paramref name="fallback"/> loaded as its last-known-good.</summary>
    public async Task WaitFallbackAsync(string model, string live, string fallback)
    {
        await WaitServingAsync(model, live);
        await Poll.UntilAsync(async () =>
        {
            var status = await GetJsonAsync("api/v1/status");
            var entry = status["models"]!.AsArray().SingleOrDefault(m => (string)m!["name"]! == model);
            return entry is not null && (string?)entry["fallback_version"] == fallback;
        }, TimeSpan.FromSeconds(30), $"{model} fallback {fallback} loaded");
    }

    public async Task PromoteAsync(string name, string version, string? token = null)
    {
        var (status, body) = await PostJsonAsync($"api/v1/models/{name}/versions/{version}/promote", new { reason = "test" }, token);
        Assert.True(status == HttpStatusCode.OK, $"promote {name} {version}: {(int)status} {body?.ToJsonString()}");
    }

    /// <summary>Waits until this silo serves <paramref name="version"/> of <paramref name="model"/> (routes are pushed asynchronously).</summary>
    public Task WaitServingAsync(string model, string version) =>
        Poll.UntilAsync(async () =>
        {
            var response = await Client.GetAsync($"v2/models/{model}/ready");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return (string?)body["version"] == version;
        }, TimeSpan.FromSeconds(30), $"{model} version {version} serving");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownedData?.Dispose();
    }

    /// <summary>A loopback port outside the ephemeral range (<see cref="FreePorts"/>).</summary>
    public static int FreeTcpPort() => FreePorts.Next();
}

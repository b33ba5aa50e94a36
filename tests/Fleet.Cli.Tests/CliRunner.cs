using System.Net;
using System.Net.Sockets;

namespace Fleet.Cli.Tests;

/// <summary>What one in-process run of the CLI produced.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs <see cref="FleetCli"/> in-process with captured output and an injected environment.</summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string>? environment = null,
        string stdin = "",
        HttpMessageHandler? handler = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            In = new StringReader(stdin),
            Handler = handler,
        };

        var exitCode = await FleetCli.RunAsync(args, context);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A loopback port nothing listens on (handed out once and never bound: <see cref="FreePorts"/>).</summary>
    public static int UnusedPort() => FreePorts.Next();

    /// <summary>A server URL on which connections are refused.</summary>
    public static string UnreachableServer() => $"http://127.0.0.1:{UnusedPort()}";
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-cli-tests-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// A fake Fleet server for in-process runs: answers each path (query ignored) with canned JSON and records the URLs
/// asked for; any other path is a 404 <c>{"error": ...}</c>.
/// </summary>
internal sealed class StubServer(params (string Path, string Json)[] responses) : HttpMessageHandler
{
    private readonly Dictionary<string, string> _responses = responses.ToDictionary(r => r.Path, r => r.Json, StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Add(uri);
        var (status, json) = _responses.TryGetValue(uri.AbsolutePath, out var body)
            ? (HttpStatusCode.OK, body)
            : (HttpStatusCode.NotFound, $$"""{"error": "no canned response for {{uri.AbsolutePath}}"}""");
        return Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            RequestMessage = request,
        });
    }
}

using System.Diagnostics;
using System.Net.Http.Json;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, no gossip port, routing every
/// alert grouped by model to <paramref name="receiverUrl"/> (send_resolved; group_wait and group_interval 1 s).
/// Stopped by killing its process.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private AlertmanagerProcess(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<AlertmanagerProcess> StartAsync(string receiverUrl)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is not installed: run the tests with tests/run.sh (it installs it) or `apt-get install -y prometheus-alertmanager`");
        }

        var directory = new TempDirectory();
        var config = Path.Combine(directory.Path, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: test
              group_by: [model]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: test
                webhook_configs:
                  - url: {receiverUrl}/alertmanager
                    send_resolved: true
            """);
        var port = FleetServer.FreeTcpPort();
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.path={Path.Combine(directory.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var am = new AlertmanagerProcess(process, directory, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"alertmanager exited with {process.ExitCode} (config {config})");
            }

            try
            {
                return (await http.GetAsync($"{am.Url}/-/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), $"alertmanager on port {port}");
        return am;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}

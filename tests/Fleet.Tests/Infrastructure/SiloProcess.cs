using System.Diagnostics;
using System.Net;

namespace Fleet.Tests.Infrastructure;

/// <summary>A Fleet server in cluster (Redis) mode as a separate OS process, so it can be killed for real.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri baseAddress, string logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogPath = logPath;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string LogPath { get; }

    public static async Task<SiloProcess> StartAsync(RedisServer redis, string clusterId, string dataDirectory, string logDirectory, params string[] settings)
    {
        var port = FleetServer.FreeTcpPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var log = Path.Combine(logDirectory, $"silo-{port}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Repo.ServerDll,
                $"--urls=http://127.0.0.1:{port}",
                $"--Fleet:DataDirectory={dataDirectory}",
                $"--Fleet:SamplesDirectory={Repo.Samples}",
                "--Fleet:Cluster:Mode=Redis",
                $"--Fleet:Cluster:Redis={redis.ConnectionString}",
                $"--Fleet:Cluster:ClusterId={clusterId}",
                $"--Fleet:Cluster:ServiceId={clusterId}",
                $"--Fleet:Cluster:SiloPort={FleetServer.FreeTcpPort()}",
                $"--Fleet:Cluster:GatewayPort={FleetServer.FreeTcpPort()}",
                "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SiloProcess(process, baseAddress, log);
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"silo exited with {process.ExitCode}; log {log}:\n{await File.ReadAllTextAsync(log)}");
                }

                return (await silo.Client.GetAsync("v2/health/ready")).StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(90), $"silo {baseAddress} ready (log {log})");
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end by itself (a drill that makes it kill itself).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGSTOP: the process stays a member but answers nothing (a hung host).</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="FreezeAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { RedirectStandardError = true })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed: {await kill.StandardError.ReadToEndAsync()}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}

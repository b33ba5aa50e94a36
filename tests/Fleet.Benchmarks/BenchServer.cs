using System.Net;
using Fleet.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Fleet.Benchmarks;

/// <summary>A real embedded Fleet server in this process, on a free loopback port, with its own data directory.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _data;

    private BenchServer(WebApplication app, DirectoryInfo data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BenchServer> StartAsync(params string[] settings)
    {
        var data = Directory.CreateTempSubdirectory("fleet-bench-");
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        string[] args =
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--Fleet:DataDirectory={data.FullName}",
            $"--Fleet:SamplesDirectory={Repo.Samples}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            .. settings,
        ];
        var app = FleetServerExtensions.CreateApp(args);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync("v2/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the benchmark server did not become ready in 60 s");
            }

            await Task.Delay(50);
        }

        return new BenchServer(app, data, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.Delete(recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Samples => Path.Combine(Root, "samples");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fleet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("run the benchmark from the repository (Fleet.sln not found)");
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Fleet.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, started for the tests and stopped by its pid.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private RedisServer(TempDirectory directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = new TempDirectory();
        var port = FleetServer.FreeTcpPort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--bind", "127.0.0.1", "--port", port.ToString(), "--daemonize", "yes", "--save", "", "--appendonly", "no",
                "--dir", directory.Path, "--pidfile", Path.Combine(directory.Path, "redis.pid"), "--logfile", Path.Combine(directory.Path, "redis.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run the tests with tests/run.sh (it installs it) or `apt-get install -y redis-server`", ex);
        }

        await process.WaitForExitAsync();
        var redis = new RedisServer(directory, port);
        await Poll.UntilAsync(() => Task.FromResult(redis.Ping()), TimeSpan.FromSeconds(20), $"redis-server on port {port}");
        return redis;
    }

    private bool Ping()
    {
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(_directory.Path, "redis.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        _directory.Dispose();
    }
}

using System.Collections.Concurrent;
using Fleet.Abstractions.Routing;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests.Replicas;

/// <summary>What a replica received.</summary>
internal sealed record ReceivedRequest(string Path, byte[] Body, Dictionary<string, string> Headers);

/// <summary>
/// A replica on a free loopback port. With no handler it hangs: it signals <see cref="Arrived"/> and answers only
/// when the client gives up or the test ends (no sleeps).
/// </summary>
internal sealed class FakeReplica : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private FakeReplica(WebApplication app, ReplicaEndpoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public ReplicaEndpoint Endpoint { get; }

    public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public static async Task<FakeReplica> StartAsync(string host, Func<HttpContext, Task>? handler, ConcurrentQueue<string> calls)
    {
        var url = $"http://127.0.0.1:{FleetServer.FreeTcpPort()}/";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.TrimEnd('/'));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var replica = new FakeReplica(app, new ReplicaEndpoint(host, url));
        app.Run(async http =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            replica._received.Enqueue(new ReceivedRequest(http.Request.Path, buffer.ToArray(), headers));
            calls.Enqueue(host);
            if (handler is not null)
            {
                await handler(http);
                return;
            }

            replica.Arrived.TrySetResult();
            try
            {
                await replica._release.Task.WaitAsync(http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await app.StartAsync();
        return replica;
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

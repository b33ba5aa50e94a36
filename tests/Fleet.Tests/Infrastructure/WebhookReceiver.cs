using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests.Infrastructure;

/// <summary>One POST a receiver took: its path, exact body, headers and parsed JSON.</summary>
public sealed record ReceivedPost(string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// An HTTP receiver on a loopback port fixed at construction, for webhooks (Fleet's, Alertmanager's). It can be
/// stopped and started again on the same port (a receiver outage); what it took is kept across restarts.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedPost> _received = new();
    private WebApplication? _app;

    public WebhookReceiver() => Port = FleetServer.FreeTcpPort();

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyCollection<ReceivedPost> Received => _received;

    public bool Running => _app is not null;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAgainAsync();
        return receiver;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _received.Enqueue(new ReceivedPost(http.Request.Path, body, headers));
            http.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

/// <summary>A server of its own: it is configured with a retraining command that records each delivery in a file.</summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class RetrainTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private FleetServer? _server;

    private string Deliveries => Path.Combine(_directory.Path, "deliveries.jsonl");

    public async ValueTask InitializeAsync() =>
        _server = await FleetServer.StartAsync(null, $"--Fleet:Retraining:Command=cat >> '{Deliveries}'; echo >> '{Deliveries}'");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Drift_opens_one_request_delivered_to_the_command_and_the_webhook_and_an_ack_closes_it()
    {
        var server = _server!;
        var port = FleetServer.FreeTcpPort();
        using var webhook = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/hook/" } };
        webhook.Start();
        var posts = System.Threading.Channels.Channel.CreateUnbounded<(string Method, string Body)>();
        _ = Task.Run(async () =>
        {
            while (webhook.IsListening)
            {
                var context = await webhook.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                await posts.Writer.WriteAsync((context.Request.HttpMethod, await reader.ReadToEndAsync()));
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });
        var model = await MonitoredModel.CreateAsync(server, settings: new { retrain_on = "drift", drift_window = "300", drift_interval = "1h", retrain_webhook = $"http://127.0.0.1:{port}/hook/" });
        var checks = await model.InferCheckedAsync("shift", 300, 4, (v, _) => v * 1.5);
        Assert.Equal(["warning", "warning", "drift", "drift"], MonitoredModel.Overall(checks, "1"));

        // Deliveries run in the background and are then recorded on the request.
        JsonArray requests = [];
        await Poll.UntilAsync(async () =>
        {
            requests = (await server.GetJsonAsync($"api/v1/models/{model.Name}/retrain")).AsArray();
            return requests.Count == 1 && requests[0]!["deliveries"]!.AsArray().Count == 2;
        }, TimeSpan.FromSeconds(20), "both deliveries recorded");
        var request = requests[0]!;
        Assert.Equal(("open", "1"), ((string)request["status"]!, (string)request["version"]!));
        Assert.Equal("drift", (string)request["triggers"]![0]!["trigger"]!);
        var deliveries = request["deliveries"]!.AsArray();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.True((bool)d!["ok"]!, d.ToJsonString()));
        Assert.Equal($"webhook http://127.0.0.1:{port}/hook/: HTTP 204", $"{(string)deliveries[0]!["target"]!}: {(string)deliveries[0]!["detail"]!}");
        var (method, posted) = await posts.Reader.ReadAsync();
        Assert.Equal(("POST", (string)request["id"]!), (method, (string)JsonNode.Parse(posted)!["id"]!));
        Assert.Equal("drift", (string)JsonNode.Parse(posted)!["triggers"]![0]!["trigger"]!);

        var delivered = JsonNode.Parse(File.ReadAllLines(Deliveries).Single(l => l.Length > 0))!;
        Assert.Equal(((string)request["id"]!, model.Name), ((string)delivered["id"]!, (string)delivered["model"]!));

        var (status, acked) = await server.PostJsonAsync($"api/v1/models/{model.Name}/retrain/ack", new { note = "job 42" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("acked", "job 42"), ((string)acked!["status"]!, (string)acked["note"]!));
        (status, var again) = await server.PostJsonAsync($"api/v1/models/{model.Name}/retrain/ack", new { });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"model '{model.Name}' has no open retraining request", (string)again!["error"]!);

        // Still drifting: the next run opens a new request.
        await model.RunDriftAsync();
        Assert.Equal(["open", "acked"], (await server.GetJsonAsync("api/v1/retrain")).AsArray()
            .Where(r => (string)r!["model"]! == model.Name).Select(r => (string)r!["status"]!).ToArray());
    }
}

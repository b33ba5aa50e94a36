using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Monitoring;

/// <summary>A server of its own: it is configured with a retraining command that records each delivery in a file.</summary>
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
    public async Task Drift_opens_one_request_delivered_to_the_command_and_an_ack_closes_it()
    {
        var server = _server!;
        var model = await MonitoredModel.CreateAsync(server, settings: new { retrain_on = "drift", drift_window = "300" });
        await model.InferAsync("shift", MonitoredModel.Data.Rows.Take(300).ToArray(), (v, _) => v * 1.5);
        await model.RunDriftAsync();
        await model.RunDriftAsync();

        var requests = (await server.GetJsonAsync($"api/v1/models/{model.Name}/retrain")).AsArray();
        var request = Assert.Single(requests)!;
        Assert.Equal(("open", "1"), ((string)request["status"]!, (string)request["version"]!));
        Assert.Equal("drift", (string)request["triggers"]![0]!["trigger"]!);
        var delivery = Assert.Single(request["deliveries"]!.AsArray())!;
        Assert.True((bool)delivery["ok"]!, delivery.ToJsonString());

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

using System.Net;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Alerting;

/// <summary>
/// A monitoring path that loses predictions says so: a capture queue of 16 (drained once a second) under 400 requests
/// in flight 32 at a time drops most of them, and the drops become a monitor_unhealthy signal for the model, naming the
/// tap and the silo, and a FleetMonitorUnhealthy warning.
/// </summary>
[Trait(Speed.Trait, Speed.Server)]
public sealed class MonitorDropTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private FleetServer? _server;

    private FleetServer Server => _server!;

    public async ValueTask InitializeAsync() => _server = await FleetServer.StartAsync(null, "--Fleet:Monitoring:CaptureQueue=16");

    public async ValueTask DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task Predictions_the_tap_cannot_queue_raise_monitor_unhealthy_for_the_model()
    {
        var request = await File.ReadAllTextAsync(Repo.Sample("wine", "request.json"));
        var statuses = new List<HttpStatusCode>();
        for (var batch = 0; batch < 400 / 32; batch++)
        {
            statuses.AddRange(await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                using var response = await Server.Client.PostAsync("v2/models/wine/infer", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
                return response.StatusCode;
            })));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s)); // a full tap never costs a client anything

        System.Text.Json.Nodes.JsonNode? signal = null;
        await Poll.UntilAsync(async () => (signal = (await Server.GetJsonAsync("api/v1/signals?model=wine&kind=monitor_unhealthy")).AsArray().FirstOrDefault()) is not null,
            Wait, "a monitor_unhealthy signal for wine");
        Assert.Equal(("prediction-tap", "warning"), ((string)signal!["subject"]!, (string)signal["severity"]!));
        Assert.StartsWith("prediction-tap on ", (string)signal["reason"]!);
        Assert.True((double)signal["evidence"]!["dropped"]! >= 1, signal.ToJsonString());

        System.Text.Json.Nodes.JsonNode? alert = null;
        await Poll.UntilAsync(async () => (alert = (await Server.GetJsonAsync("api/v1/alerts?model=wine&state=firing")).AsArray()
            .FirstOrDefault(a => (string)a!["labels"]!["alertname"]! == "FleetMonitorUnhealthy")) is not null, Wait, "FleetMonitorUnhealthy for wine");
        Assert.Equal(("prediction-tap", "warning"), ((string)alert!["labels"]!["component"]!, (string)alert["labels"]!["severity"]!));
        Assert.Empty((await Server.GetJsonAsync("api/v1/incidents?model=wine")).AsArray()); // a warning opens no incident
    }
}

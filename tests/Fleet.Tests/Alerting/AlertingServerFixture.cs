using Fleet.Tests.Health;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Alerting;

/// <summary>
/// An embedded server that announces what it notices: a real Alertmanager (grouping by model, 1 s group interval)
/// and a signed Fleet webhook, both delivering to one receiver (Alertmanager's posts on <c>/alertmanager</c>,
/// Fleet's on <c>/fleet</c>), with the fault fixture's fast probes and thresholds.
/// </summary>
public sealed class AlertingServerFixture : IAsyncLifetime
{
    public const string Secret = "test-secret";

    private FleetServer? _server;
    private AlertmanagerProcess? _alertmanager;

    public FleetServer Server => _server ?? throw new InvalidOperationException("not started");

    public WebhookReceiver Receiver { get; } = new();

    public AlertmanagerProcess Alertmanager => _alertmanager ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        await Receiver.StartAgainAsync();
        _alertmanager = await AlertmanagerProcess.StartAsync(Receiver.Url);
        _server = await FleetServer.StartAsync(null,
        [
            .. ProbingServerFixture.Settings,
            $"--Fleet:Alerting:AlertmanagerUrl={_alertmanager.Url}",
            $"--Fleet:Alerting:Webhooks:0:Url={Receiver.Url}/fleet",
            $"--Fleet:Alerting:Webhooks:0:Secret={Secret}",
            "--Fleet:Alerting:EvaluationInterval=00:00:01",
        ]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_alertmanager is not null)
        {
            await _alertmanager.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }
}

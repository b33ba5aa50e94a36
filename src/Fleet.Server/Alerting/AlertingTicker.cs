using Fleet.Abstractions.Alerting;
using Fleet.Grains.Alerting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Alerting;

/// <summary>
/// On every silo, each <see cref="AlertingOptions.EvaluationInterval"/> (on the host's <see cref="TimeProvider"/>):
/// asks the alerting grain to re-evaluate and deliver what is due, and keeps its alerts for the <c>fleet_alerts</c>
/// gauge of this silo's /metrics. Several silos ticking only evaluate more often; the grain delivers each notification once.
/// </summary>
internal sealed partial class AlertingTicker(
    IGrainFactory grains,
    IOptions<AlertingOptions> options,
    AlertGauge gauge,
    TimeProvider time,
    ILogger<AlertingTicker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var grain = grains.GetGrain<IAlertingGrain>(IAlertingGrain.Key);
                await grain.Tick();
                gauge.Update(await grain.GetAlerts(null));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The grain's silo just died or the cluster is starting: the next tick evaluates again.
                LogTickFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert evaluation failed; the next tick retries")]
    private partial void LogTickFailed(Exception exception);
}

/// <summary>The alerts last read by this silo's ticker, for the <c>fleet_alerts</c> gauge (1 per pending or firing alert, like Prometheus's <c>ALERTS</c>).</summary>
internal sealed class AlertGauge : IDisposable
{
    public AlertGauge() => Telemetry.FleetMetrics.Track(this);

    public void Dispose() => Telemetry.FleetMetrics.Untrack(this);

    private volatile Alert[] _alerts = [];

    public IReadOnlyList<Alert> Alerts => _alerts;

    public void Update(Alert[] alerts) => _alerts = alerts;
}

using Fleet.Grains.Alerting;
using Fleet.Server.Hosting;

namespace Fleet.Server.Alerting;

internal static class AlertingExtensions
{
    /// <summary>Alerting: the sinks the alerting grain delivers through (Alertmanager, signed webhooks), every silo's ticker and the <c>fleet_alerts</c> gauge.</summary>
    public static IServiceCollection AddFleetAlerting(this IServiceCollection services)
    {
        services.AddFleetOptions<AlertingOptions, AlertingOptionsValidator>(AlertingOptions.SectionName);
        services.AddHttpClient(AlertSinks.ClientName);
        services.AddSingleton<IAlertSinks, AlertSinks>();
        services.AddSingleton<AlertGauge>();
        services.AddHostedService<AlertingTicker>();
        return services;
    }
}

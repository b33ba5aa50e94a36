using Fleet.Grains.Monitoring;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fleet.Server.Monitoring;

internal static class MonitoringExtensions
{
    /// <summary>
    /// Monitoring: served predictions kept for late labels and export (in memory embedded, in Redis in cluster mode),
    /// feedback, the rows flushed to the monitor grains, and the retraining webhook.
    /// </summary>
    public static IServiceCollection AddFleetMonitoring(this IServiceCollection services, FleetClusterOptions cluster)
    {
        services.AddFleetOptions<MonitoringOptions, MonitoringOptionsValidator>(MonitoringOptions.SectionName);
        services.AddFleetOptions<RetrainingOptions, RetrainingOptionsValidator>(RetrainingOptions.SectionName);
        services.AddSingleton<DropWatch>();
        services.AddSingleton<PredictionTap>();
        services.AddSingleton<FeedbackService>();
        services.AddHttpClient();
        services.AddSingleton<IRetrainNotifier, RetrainNotifier>();
        if (cluster.Mode == ClusterMode.Local)
        {
            services.AddSingleton<IPredictionStore, InMemoryPredictionStore>();
        }
        else
        {
            // Shared by every silo, so a label can arrive anywhere; bounded by TTLs (Fleet:Monitoring:PredictionRetention).
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(ConfigurationOptions.Parse(cluster.Redis)));
            services.AddSingleton<IPredictionStore>(sp => new RedisPredictionStore(sp.GetRequiredService<IConnectionMultiplexer>(),
                $"fleet:{cluster.ServiceId}", sp.GetRequiredService<IOptions<MonitoringOptions>>(), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddHostedService<SelfTestService>();
        services.AddSingleton<MonitorFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorFlushService>());
        return services;
    }
}

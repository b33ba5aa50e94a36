using Fleet.Server.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Fleet.Server.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Telemetry: Fleet's and Orleans' meters on <c>/metrics</c> (Prometheus), and OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static IServiceCollection AddFleetTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FleetMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet", serviceVersion: ServerInfo.Version))
            .WithMetrics(m =>
            {
                m.AddMeter(FleetMetrics.MeterName, "Microsoft.Orleans").AddPrometheusExporter();
                if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                    m.AddOtlpExporter();
            });
        return services;
    }
}

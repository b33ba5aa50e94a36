using Fleet.Server.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fleet.Server.Telemetry;

internal static class TelemetryExtensions
{
    /// <summary>Telemetry: Fleet's and Orleans' meters on <c>/metrics</c> (Prometheus), Fleet's spans (<see cref="FleetActivity"/>), and OTLP for both when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
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
            })
            .WithTracing(t =>
            {
                // Listened to even without an exporter, so every request has a trace id to return and to keep in its trace.
                if (configuration.GetValue("Fleet:Tracing:Enabled", true))
                    t.AddSource(FleetActivity.Name);
                if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                    t.AddOtlpExporter();
            });
        return services;
    }
}

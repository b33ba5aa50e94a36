using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Server.Alerting;
using Fleet.Server.Api;
using Fleet.Server.Health;
using Fleet.Server.Monitoring;
using Fleet.Server.Replicas;
using Fleet.Server.Security;
using Fleet.Server.Serving;
using Fleet.Server.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Orleans.Dashboard;

namespace Fleet.Server.Hosting;

/// <summary>
/// Wires the Fleet silo into an ASP.NET Core host. Each feature composes itself beside its code (<c>AddFleetServing</c>,
/// <c>AddFleetHealth</c>, <c>AddFleetMonitoring</c>, <c>AddFleetAlerting</c>, <c>AddFleetReplicas</c>, <c>AddFleetTelemetry</c>, <c>AddFleetSilo</c>).
/// </summary>
public static class FleetServerExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// The whole server from command-line style settings: what Program.cs runs, and what tests and the
    /// benchmark host in-process. The content root is the binary's folder, so appsettings.json is found
    /// whatever the working directory.
    /// </summary>
    public static WebApplication CreateApp(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddFleetServer();
        var app = builder.Build();
        app.MapFleetServer();
        return app;
    }

    /// <summary>Every feature of the server, each composed beside its code; options are validated on start.</summary>
    public static WebApplicationBuilder AddFleetServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddFleetOptions<FleetOptions>(FleetOptions.SectionName);
        services.AddOptions<FleetClusterOptions>().BindConfiguration(FleetClusterOptions.SectionName).ValidateOnStart();

        // Read once here: the silo's storage and clustering depend on it before the container is built.
        var fleet = builder.Configuration.GetSection(FleetOptions.SectionName).Get<FleetOptions>() ?? new FleetOptions();
        var cluster = builder.Configuration.GetSection(FleetClusterOptions.SectionName).Get<FleetClusterOptions>() ?? new FleetClusterOptions();
        var dataDirectory = fleet.ResolveDataDirectory();
        Directory.CreateDirectory(dataDirectory);

        services.TryAddTimeProvider();
        builder.AddFleetHttp(fleet);
        builder.AddFleetSilo(cluster, dataDirectory);
        services.AddFleetTokenRefresh();
        services.AddFleetTelemetry(builder.Configuration);
        services.AddFleetServing(dataDirectory);
        services.AddFleetReplicas();
        services.AddFleetHealth(builder.Configuration);
        services.AddFleetMonitoring(cluster);
        services.AddFleetAlerting();
        services.AddFleetOptions<Tracing.TracingOptions, Tracing.TracingOptionsValidator>(Tracing.TracingOptions.SectionName);
        services.AddSingleton<Tracing.TraceLedger>();
        return builder;
    }

    /// <summary>HTTP: the listeners, JSON in snake_case, errors as <c>{"error": ...}</c>, body limits enforced by Fleet's readers, access control.</summary>
    private static WebApplicationBuilder AddFleetHttp(this WebApplicationBuilder builder, FleetOptions fleet)
    {
        var services = builder.Services;
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        // A parameter that does not bind throws, so ApiExceptionHandler answers {"error": ...} naming it (not an empty 400).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        // Default address 127.0.0.1:8080 unless --urls, ASPNETCORE_URLS or a Urls setting says otherwise; plus the admin listener.
        var listeners = builder.AddFleetSecurity(DefaultUrl);
        builder.WebHost.UseUrls(listeners.Urls);

        // Bodies are limited per endpoint (BodyLimitMiddleware: Fleet:MaxRequestBodyBytes, or Fleet:MaxArtifactBytes for uploads)
        // and by Fleet's own readers with a clear 400; Kestrel's fixed default (30 MB) would refuse large uploads.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        return builder;
    }

    public static WebApplication MapFleetServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiExceptionHandler.WriteEmptyStatusAsync);
        app.UseFleetAccess();
        app.MapHealthApi();
        app.MapInferenceApi();
        var api = app.MapGroup("/api/v1");
        api.MapTokensApi();
        api.MapAdminApi();
        api.MapStatusApi();
        api.MapStatsApi();
        api.MapMonitoringApi();
        api.MapHostsApi();
        api.MapDecisionsApi();
        api.MapAlertsApi();
        api.MapIncidentsApi();
        api.MapTracesApi();
        app.MapPrometheusScrapingEndpoint();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapGet("/", () => Results.Redirect("/api/v1/status"));
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}

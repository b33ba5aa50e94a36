using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Grains;
using Fleet.Grains.Storage;
using Fleet.Inference.Artifacts;
using Fleet.Inference.Onnx;
using Fleet.Grains.Coordination;
using Fleet.Grains.Monitoring;
using Fleet.Server.Api;
using Fleet.Server.Health;
using Fleet.Server.Monitoring;
using Fleet.Server.Replicas;
using Fleet.Server.Serving;
using Fleet.Server.Statistics;
using Fleet.Server.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Storage;
using StackExchange.Redis;

namespace Fleet.Server.Hosting;

/// <summary>Wires the Fleet silo into an ASP.NET Core host: Orleans, serving, APIs and telemetry.</summary>
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

    public static WebApplicationBuilder AddFleetServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FleetOptions>().BindConfiguration(FleetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FleetClusterOptions>().BindConfiguration(FleetClusterOptions.SectionName).ValidateOnStart();
        services.AddOptions<SupervisionOptions>().BindConfiguration(SupervisionOptions.SectionName);
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.PredictionRetention > TimeSpan.Zero, "Fleet:Monitoring:PredictionRetention must be positive").ValidateOnStart();
        services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.SectionName)
            .Validate(o => string.IsNullOrEmpty(o.Webhook) || Uri.TryCreate(o.Webhook, UriKind.Absolute, out _), "Fleet:Retraining:Webhook must be an absolute URL")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Fleet:Retraining:Timeout must be positive").ValidateOnStart();
        services.AddOptions<ProbeOptions>().BindConfiguration(ProbeOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Interval > TimeSpan.Zero && o.Timeout > TimeSpan.Zero, "Fleet:Probes:Interval and Fleet:Probes:Timeout must be positive")
            .Validate(o => o.ArtifactFullHashInterval > TimeSpan.Zero, "Fleet:Probes:ArtifactFullHashInterval must be positive").ValidateOnStart();
        services.AddOptions<FaultInjectionOptions>().BindConfiguration(FaultInjectionOptions.SectionName);
        services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.CoolDown >= TimeSpan.Zero && o.ActionWindow > TimeSpan.Zero && o.ViolationWindow > TimeSpan.Zero && o.StatsInterval > TimeSpan.Zero,
                "Fleet:Coordinator: CoolDown must not be negative; ActionWindow, ViolationWindow and StatsInterval must be positive").ValidateOnStart();
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.ForwardTimeout > TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero, "Fleet:Replicas:ForwardTimeout and Fleet:Replicas:RequestTimeout must be positive")
            .Validate(o => o.SuspectFor >= TimeSpan.Zero, "Fleet:Replicas:SuspectFor must not be negative").ValidateOnStart();
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.SectionName)
            .Validate(o => o.IntraOpThreads >= 1, "Fleet:Inference:IntraOpThreads must be at least 1").ValidateOnStart();

        // Read once here: the silo's storage and clustering depend on it before the container is built.
        var fleet = builder.Configuration.GetSection(FleetOptions.SectionName).Get<FleetOptions>() ?? new FleetOptions();
        var cluster = builder.Configuration.GetSection(FleetClusterOptions.SectionName).Get<FleetClusterOptions>() ?? new FleetClusterOptions();
        services.PostConfigure<CoordinatorOptions>(o => o.FaultInjection |= builder.Configuration.GetValue<bool>($"{FaultInjectionOptions.SectionName}:Enabled"));
        if (builder.Configuration.GetValue<bool>($"{FaultInjectionOptions.SectionName}:Enabled")
            || builder.Configuration.GetValue<bool>($"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.FaultInjection)}"))
        {
            // The coordinator's crash drill exists only here; without it the coordinator refuses to arm one.
            services.AddScoped<ICoordinatorFaults, CoordinatorCrashDrill>();
        }
        if (builder.Configuration[$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.ReplicationFactor)}"] is null)
        {
            // Two replicas survive one host failure; one silo has nowhere else to put a second.
            services.PostConfigure<CoordinatorOptions>(o => o.ReplicationFactor = cluster.Mode == ClusterMode.Local ? 1 : 2);
        }
        var dataDirectory = fleet.ResolveDataDirectory();
        Directory.CreateDirectory(dataDirectory);

        services.TryAddTimeProvider();
        services.AddSingleton(new ArtifactStore(Path.Combine(dataDirectory, "artifacts")));
        services.AddSingleton(sp => new OnnxSessionFactory(sp.GetRequiredService<IOptions<InferenceOptions>>().Value));
        services.AddSingleton<FleetMetrics>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<VersionIntake>();
        services.AddSingleton<StatsCollector>();
        services.AddSingleton<PredictionPipeline>();
        services.AddSingleton<SampleModelSeeder>();
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
        services.AddSingleton(sp =>
        {
            var silo = sp.GetRequiredService<ILocalSiloDetails>();
            return new HostIdentity(silo.Name, silo.SiloAddress.ToParsableString(), cluster.Mode.ToString().ToLowerInvariant(),
                sp.GetRequiredService<TimeProvider>().GetUtcNow());
        });
        services.AddSingleton<IDeadHosts, MembershipDeadHosts>();
        services.AddSingleton<ReplicaForwarder>();
        services.AddSingleton<AdminTokenFilter>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        // A parameter that does not bind throws, so ApiExceptionHandler answers {"error": ...} naming it (not an empty 400).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = fleet.MaxArtifactBytes);
        // Default address 127.0.0.1:8080 unless --urls, ASPNETCORE_URLS or a Urls setting says otherwise.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Bodies are limited by Fleet's own readers (Fleet:MaxRequestBodyBytes, Fleet:MaxArtifactBytes) with a clear 400.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);

        if (cluster.Mode == ClusterMode.Local)
        {
            // Taken when the host starts, before the silo; released when it is disposed (a restart in-process can take it again).
            services.AddSingleton(_ => DataDirectoryLock.Acquire(dataDirectory));
            services.AddHostedService<DataDirectoryLock.Holder>();
        }

        builder.UseOrleans(silo => ConfigureSilo(silo, cluster, dataDirectory));
        services.AddHostedService<RoutingService>();
        services.AddHostedService<StatsFlushService>();
        services.AddSingleton<ArtifactChecker>();
        services.AddHostedService<HostProber>();
        services.AddSingleton<MonitorFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorFlushService>());

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet", serviceVersion: ServerInfo.Version))
            .WithMetrics(m =>
            {
                m.AddMeter(FleetMetrics.MeterName, "Microsoft.Orleans").AddPrometheusExporter();
                if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    m.AddOtlpExporter();
                }
            });
        return builder;
    }

    public static WebApplication MapFleetServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiExceptionHandler.WriteEmptyStatusAsync);
        app.MapHealthApi();
        app.MapInferenceApi();
        var api = app.MapGroup("/api/v1").AddEndpointFilter<AdminTokenFilter>();
        api.MapAdminApi();
        api.MapStatusApi();
        api.MapStatsApi();
        api.MapMonitoringApi();
        api.MapHostsApi();
        api.MapDecisionsApi();
        app.MapPrometheusScrapingEndpoint();
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapGet("/", () => Results.Redirect("/api/v1/status"));
        return app;
    }

    private static void ConfigureSilo(ISiloBuilder silo, FleetClusterOptions cluster, string dataDirectory)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        silo.AddDashboard();

        if (cluster.Mode == ClusterMode.Local)
        {
            var siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreePort.Pick();
            var gatewayPort = cluster.GatewayPort > 0 ? cluster.GatewayPort : FreePort.Pick();
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            silo.Services.AddKeyedSingleton<IGrainStorage>(FleetStorage.Name, (sp, _) =>
                new FileGrainStorage(Path.Combine(dataDirectory, "grains"), sp.GetRequiredService<Orleans.Serialization.Serializer>()));
            silo.UseInMemoryReminderService();
            return;
        }

        var redis = ConfigurationOptions.Parse(cluster.Redis);
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress),
            cluster.SiloPort > 0 ? cluster.SiloPort : 11111,
            cluster.GatewayPort > 0 ? cluster.GatewayPort : 30000);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        silo.AddRedisGrainStorage(FleetStorage.Name, (OptionsBuilder<RedisStorageOptions> ob) => ob.Configure<IServiceProvider>((o, sp) =>
        {
            o.ConfigurationOptions = redis.Clone();
            // Binary, version-tolerant ([Id]/[Alias]) instead of the default JSON with assembly-qualified type names.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>());
        }));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // Notice a killed silo within ~1 s instead of Orleans's 7-16 s (shared/notes/platform.md).
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}

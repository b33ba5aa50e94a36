using System.Net;
using Fleet.Grains;
using Fleet.Grains.Coordination;
using Fleet.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Persistence;
using Orleans.Storage;
using StackExchange.Redis;

namespace Fleet.Server.Hosting;

internal static class SiloExtensions
{
    /// <summary>
    /// The Orleans silo: one local silo with file grain storage (embedded) or Redis clustering, storage and reminders
    /// (cluster mode); this silo's identity; the coordinator's options; the data directory's lock (embedded).
    /// </summary>
    public static WebApplicationBuilder AddFleetSilo(this WebApplicationBuilder builder, FleetClusterOptions cluster, string dataDirectory)
    {
        var services = builder.Services;
        services.AddFleetOptions<CoordinatorOptions, CoordinatorOptionsValidator>(CoordinatorOptions.SectionName);
        services.PostConfigure<CoordinatorOptions>(o => o.FaultInjection |= builder.Configuration.GetValue<bool>($"{Health.FaultInjectionOptions.SectionName}:Enabled"));
        if (builder.Configuration.GetValue<bool>($"{Health.FaultInjectionOptions.SectionName}:Enabled")
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

        services.AddSingleton(sp =>
        {
            var silo = sp.GetRequiredService<ILocalSiloDetails>();
            return new Serving.HostIdentity(silo.Name, silo.SiloAddress.ToParsableString(), cluster.Mode.ToString().ToLowerInvariant(),
                sp.GetRequiredService<TimeProvider>().GetUtcNow());
        });
        if (cluster.Mode == ClusterMode.Local)
        {
            // Taken when the host starts, before the silo; released when it is disposed (a restart in-process can take it again).
            services.AddSingleton(_ => DataDirectoryLock.Acquire(dataDirectory));
            services.AddHostedService<DataDirectoryLock.Holder>();
        }

        // Before the features' hosted services: they call grains once they start.
        builder.UseOrleans(silo => ConfigureSilo(silo, cluster, dataDirectory));
        return builder;
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
            // Notice a killed silo within ~1 s instead of Orleans's 7-16 s: with these settings one is declared dead in
            // 0.6-0.9 s after a kill -9 and callers see 2-4 failed calls (measured on loopback).
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
    }
}

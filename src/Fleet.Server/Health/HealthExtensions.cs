using Fleet.Server.Hosting;

namespace Fleet.Server.Health;

internal static class HealthExtensions
{
    /// <summary>
    /// Health: this silo's prober (provider, artifact checksums, golden sets, latency) and, only when
    /// <c>Fleet:FaultInjection:Enabled</c>, the fault drills (<see cref="HostFaults"/>).
    /// </summary>
    public static IServiceCollection AddFleetHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFleetOptions<ProbeOptions, ProbeOptionsValidator>(ProbeOptions.SectionName);
        services.AddOptions<FaultInjectionOptions>().BindConfiguration(FaultInjectionOptions.SectionName);
        if (configuration.GetValue<bool>($"{FaultInjectionOptions.SectionName}:Enabled"))
            services.AddSingleton<HostFaults>();
        services.AddSingleton<ArtifactChecker>();
        services.AddHostedService<HostProber>();
        return services;
    }
}

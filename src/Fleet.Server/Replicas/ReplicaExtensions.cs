using Fleet.Server.Hosting;

namespace Fleet.Server.Replicas;

internal static class ReplicaExtensions
{
    /// <summary>Replicas: forwarding a request for a model placed on other hosts, and which hosts Orleans declared dead.</summary>
    public static IServiceCollection AddFleetReplicas(this IServiceCollection services)
    {
        services.AddFleetOptions<ReplicaOptions, ReplicaOptionsValidator>(ReplicaOptions.SectionName);
        services.AddSingleton<IDeadHosts, MembershipDeadHosts>();
        services.AddSingleton<ReplicaForwarder>();
        return services;
    }
}

namespace Fleet.Server.Hosting;

/// <summary>Settings under <c>Fleet:Cluster</c>.</summary>
public sealed class FleetClusterOptions
{
    public const string SectionName = "Fleet:Cluster";

    /// <summary>Local (default, one silo, no Redis) or Redis.</summary>
    public ClusterMode Mode { get; set; } = ClusterMode.Local;

    /// <summary>StackExchange.Redis connection string (Redis mode). Default 127.0.0.1:6379.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    public string ClusterId { get; set; } = "fleet";

    public string ServiceId { get; set; } = "fleet";

    /// <summary>Silo-to-silo port. 0 (default) picks a free port in Local mode and 11111 in Redis mode.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port. 0 (default) picks a free port in Local mode and 30000 in Redis mode.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one on (Redis mode). Default 127.0.0.1.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The HTTP base URL other silos forward requests to (e.g. <c>http://10.0.0.5:8080/</c>). Default: the first
    /// address this silo binds, with a wildcard host replaced by <see cref="AdvertisedAddress"/>.
    /// </summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>Time to declare a silent silo dead: probe timeout (default 1 s; Orleans's own default is 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is suspected dead (default 2; Orleans's default is 3).</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>How long a grain call waits for an answer (default 10 s; Orleans's default is 30 s).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

namespace Fleet.Server.Serving;

/// <summary>How this silo names itself in status and load reports.</summary>
internal sealed record HostIdentity(string Name, string Address, string ClusterMode, DateTimeOffset StartedAt);

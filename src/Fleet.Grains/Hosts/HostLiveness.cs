using Fleet.Abstractions.Hosts;

namespace Fleet.Grains.Hosts;

/// <summary>
/// The status to show for a host (pure): what its last report says, unless membership says its silo is dead or
/// not in the cluster (gone), or the report is stale (the prober stalled or the process is frozen).
/// </summary>
public static class HostLiveness
{
    public const string Active = "active";
    public const string Dead = "dead";
    public const string Gone = "gone";
    public const string Stopping = "stopping";

    /// <summary>A report older than this is stale: three missed cycles plus one probe timeout.</summary>
    public static TimeSpan StaleAfter(HostReport report) => (3 * report.Interval) + report.Timeout;

    public static (HostStatus Status, string[] Reasons, string Membership) Evaluate(HostReport last, SiloStatus? member, DateTimeOffset now)
    {
        switch (member)
        {
            case null:
                return (HostStatus.Unhealthy, [$"gone: silo '{last.Id}' is not a member of the cluster (last report {Seconds(now - last.At)} ago)"], Gone);
            case SiloStatus.Dead:
                return (HostStatus.Unhealthy, [$"gone: membership declared silo '{last.Id}' dead (last report {Seconds(now - last.At)} ago)"], Dead);
            case SiloStatus.ShuttingDown or SiloStatus.Stopping:
                return (HostStatus.Unhealthy, [$"silo '{last.Id}' is shutting down"], Stopping);
        }

        var age = now - last.At;
        if (age > StaleAfter(last))
        {
            return (HostStatus.Unhealthy,
                [$"stale: no probe report for {Seconds(age)} (expected every {Seconds(last.Interval)}): the prober is stuck or the process is frozen"], Active);
        }

        return (last.Status, last.Reasons, Active);
    }

    /// <summary>Membership status by silo name; when a name occurs twice (a restarted silo), an active entry wins.</summary>
    public static Dictionary<string, SiloStatus> ByName(IEnumerable<ClusterMember> members) => members
        .GroupBy(m => m.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Any(m => m.Status == SiloStatus.Active) ? SiloStatus.Active : g.Last().Status, StringComparer.Ordinal);

    private static string Seconds(TimeSpan span) => $"{Math.Max(0, span.TotalSeconds):0.#} s";
}

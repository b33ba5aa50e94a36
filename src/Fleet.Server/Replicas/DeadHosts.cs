using Fleet.Grains.Hosts;

namespace Fleet.Server.Replicas;

/// <summary>Whether cluster membership has declared a host (a silo, by name) dead.</summary>
public interface IDeadHosts
{
    bool IsDead(string host);
}

/// <summary>
/// This silo's membership view, read per call (no grain call): a replica whose silo was declared dead is never
/// forwarded to, even while this silo's routing table still names it (the coordinator's new placement can reach a
/// silo a few seconds after the death, and a dead host would cost every request one forward timeout).
/// </summary>
internal sealed class MembershipDeadHosts(IClusterMembershipService membership) : IDeadHosts
{
    private Snapshot? _last;

    public bool IsDead(string host)
    {
        var current = membership.CurrentSnapshot;
        var last = _last;
        if (last is null || last.Version != current.Version)
        {
            last = new Snapshot(current.Version, Dead(current.Members.Values));
            _last = last;
        }

        return last.Names.Contains(host);
    }

    /// <summary>Names whose every membership entry is dead (a silo restarted under the same name is alive).</summary>
    internal static HashSet<string> Dead(IEnumerable<ClusterMember> members) =>
        HostLiveness.ByName(members).Where(m => m.Value == SiloStatus.Dead).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);

    private sealed record Snapshot(MembershipVersion Version, HashSet<string> Names);
}

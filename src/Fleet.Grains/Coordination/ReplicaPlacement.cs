using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Routing;

namespace Fleet.Grains.Coordination;

/// <summary>
/// A host as placement sees it: its status after liveness (gone, dead and stale hosts are unhealthy), why, how many
/// models it holds, and <see cref="Gone"/> when it has left the cluster (dead, not a member, shutting down).
/// </summary>
public sealed record PlacementHost(string Id, string? Url, HostStatus Status, string Reason, int Load, bool Gone = false)
{
    /// <summary>Can take replicas: not unhealthy, and other silos can reach it.</summary>
    public bool Usable => Status != HostStatus.Unhealthy && Url is not null;
}

/// <summary>
/// Where a model's replicas go (pure). Sticky: a replica stays where it is while its host is usable, so a placement
/// changes only when a host dies, turns unhealthy or stale, or the replication factor changes. New replicas go to
/// healthy hosts before degraded ones, least loaded first (ties broken by a hash of model and host, which spreads
/// models instead of piling them on the first host name).
/// <list type="bullet">
/// <item>Not placed yet (every host serves): placed only once more usable hosts exist than the factor, or when a
/// host that serves it is unhealthy and a usable one can take its place.</item>
/// <item>Placed: hosts that are no longer usable are dropped (<c>failover</c>), the set is filled up to the factor, or trimmed.</item>
/// <item>No usable host at all: the placement stays (nothing better exists) and the model is reported <c>degraded</c>.</item>
/// </list>
/// </summary>
public static class ReplicaPlacement
{
    public const string HostGone = "host_gone";
    public const string HostUnhealthy = "host_unhealthy";
    public const string Spread = "spread";
    public const string NoHealthyHost = "no_healthy_host";

    public static ProposedDecision? Decide(string model, string liveVersion, ReplicaEndpoint[]? current, int factor,
        IReadOnlyList<PlacementHost> hosts, DateTimeOffset now)
    {
        if (factor <= 0)
        {
            return null;
        }

        var byId = hosts.ToDictionary(h => h.Id, StringComparer.Ordinal);
        var usable = hosts.Where(h => h.Usable).ToList();
        if (current is null)
        {
            var serving = hosts.Where(h => !h.Gone).ToList();
            if (usable.Count == 0 || (usable.Count <= factor && serving.All(h => h.Usable)))
            {
                return null;
            }

            var initial = Pick(model, [], usable, factor);
            var dropped = serving.Where(h => !h.Usable).ToArray();
            return Proposal(model, liveVersion, null, initial, dropped, factor, hosts, now);
        }

        var keep = current.Select(r => byId.GetValueOrDefault(r.Host)).OfType<PlacementHost>().Where(h => h.Usable).ToList();
        var removed = current.Where(r => keep.All(k => k.Id != r.Host))
            .Select(r => byId.GetValueOrDefault(r.Host) ?? new PlacementHost(r.Host, r.Url, HostStatus.Unhealthy, "gone: not a member of the cluster", 0, Gone: true))
            .ToArray();
        if (keep.Count == 0 && usable.Count == 0)
        {
            var evidence = Evidence(NoHealthyHost, current, current, factor, hosts, now);
            return new ProposedDecision(DecisionAction.Degraded, model, liveVersion, liveVersion, null,
                $"no usable host is left for {model} (replicas on {Names(current.Select(r => r.Host))}: {string.Join("; ", removed.Select(h => $"{h.Id} {h.Reason}"))}); " +
                "its hosts answer through the fallback chain until one recovers", evidence);
        }

        var next = keep.Count > factor ? keep.Take(factor).ToList() : Pick(model, keep, usable, factor);
        var nextEndpoints = next.Select(h => new ReplicaEndpoint(h.Id, h.Url)).ToArray();
        if (Fleet.Grains.Registry.ModelLifecycle.SamePlacement(current, nextEndpoints))
        {
            return null;
        }

        return Proposal(model, liveVersion, current, next, removed, factor, hosts, now);
    }

    /// <summary><paramref name="keep"/> plus the best usable hosts not in it, up to <paramref name="factor"/>.</summary>
    private static List<PlacementHost> Pick(string model, List<PlacementHost> keep, List<PlacementHost> usable, int factor)
    {
        var picked = new List<PlacementHost>(keep);
        picked.AddRange(usable
            .Where(h => keep.All(k => k.Id != h.Id))
            .OrderBy(h => h.Status == HostStatus.Healthy ? 0 : 1)
            .ThenBy(h => h.Load)
            .ThenBy(h => Spread32(model, h.Id))
            .ThenBy(h => h.Id, StringComparer.Ordinal)
            .Take(Math.Max(0, factor - keep.Count)));
        return picked;
    }

    private static ProposedDecision Proposal(string model, string liveVersion, ReplicaEndpoint[]? current, List<PlacementHost> next,
        PlacementHost[] removed, int factor, IReadOnlyList<PlacementHost> hosts, DateTimeOffset now)
    {
        var endpoints = next.Select(h => new ReplicaEndpoint(h.Id, h.Url)).ToArray();
        var before = ReplicaEndpoint.Describe(current);
        var after = Names(next.Select(h => h.Id));
        var shortBy = next.Count < factor ? $" (only {next.Count} usable host{(next.Count == 1 ? string.Empty : "s")} for a replication factor of {factor})" : string.Empty;
        if (removed.Length > 0)
        {
            var trigger = removed.Any(h => h.Gone) ? HostGone : HostUnhealthy;
            var why = string.Join("; ", removed.Select(h => $"host {h.Id} is {(h.Gone ? h.Reason : $"unhealthy: {h.Reason}")}"));
            return new ProposedDecision(DecisionAction.Failover, model, liveVersion, liveVersion, string.Join(",", removed.Select(h => h.Id)),
                $"{why}: replicas of {model} moved from {before} to {after}{shortBy}", Evidence(trigger, current, endpoints, factor, hosts, now),
                Replicas: endpoints);
        }

        return new ProposedDecision(DecisionAction.Place, model, liveVersion, liveVersion, null,
            $"{model} placed on {after} ({factor} of {hosts.Count(h => h.Usable)} usable hosts; was {before}){shortBy}",
            Evidence(Spread, current, endpoints, factor, hosts, now), Replicas: endpoints);
    }

    private static DecisionEvidence Evidence(string trigger, ReplicaEndpoint[]? before, ReplicaEndpoint[] after, int factor,
        IReadOnlyList<PlacementHost> hosts, DateTimeOffset now) => new(
        trigger,
        new Dictionary<string, double>
        {
            ["replicas_before"] = before?.Length ?? hosts.Count(h => !h.Gone),
            ["replicas_after"] = after.Length,
            ["usable_hosts"] = hosts.Count(h => h.Usable),
        },
        new Dictionary<string, double> { ["replication_factor"] = factor },
        [.. hosts.OrderBy(h => h.Id, StringComparer.Ordinal).Select(h =>
            $"host {h.Id}: {h.Status.ToString().ToLowerInvariant()}{(h.Status == HostStatus.Healthy ? string.Empty : $" ({h.Reason})")}, {h.Load} placed model(s), url {h.Url ?? "none"}")],
        now);

    private static string Names(IEnumerable<string> hosts) => string.Join(", ", hosts);

    /// <summary>A stable (process-independent) hash: string.GetHashCode is randomised per process.</summary>
    private static uint Spread32(string model, string host)
    {
        var hash = 2166136261u;
        foreach (var c in model + "\0" + host)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}

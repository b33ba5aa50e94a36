using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Routing;
using Fleet.Grains.Hosts;

namespace Fleet.Grains.Coordination;

/// <summary>
/// What the coordinator knows about the hosts, in memory (not persisted: every host reports again within one probe
/// interval), and the evidence and placement hosts it derives from that (pure: plain inputs and time in, no grain
/// calls). The grain feeds it host reports, the membership view, statistics and quality signals.
/// </summary>
internal sealed class FleetView(CoordinatorOptions options)
{
    private readonly Dictionary<string, HostReport> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Model, string Version), (DateTimeOffset At, ViolationEvidence Evidence)> _stats = [];

    // Hosts where a version failed to load, kept for the cool-down after the host last reported it: a host the model
    // was moved off stops trying (and reporting) the load, and must neither look usable for it again at once nor drop
    // out of the count of hosts it failed on.
    private readonly Dictionary<(string Host, string Model, string Version), (DateTimeOffset At, string? Error)> _failedLoads = [];

    public IReadOnlyCollection<HostReport> Reports => _reports.Values;

    /// <summary>Takes a host's latest report (and the loads it says failed); returns the one it replaces.</summary>
    public HostReport? Record(HostReport report)
    {
        _reports.TryGetValue(report.Id, out var previous);
        _reports[report.Id] = report;
        foreach (var key in _failedLoads.Keys.Where(k => report.At - _failedLoads[k].At > options.CoolDown
            || (k.Host == report.Id && report.Versions.Any(v => v.Model == k.Model && v.Version == k.Version && v.Role == VersionRole.Live))).ToArray())
        {
            _failedLoads.Remove(key);
        }

        foreach (var failed in report.FailedLoads ?? [])
        {
            _failedLoads[(report.Id, failed.Model, failed.Version)] = (report.At, failed.Error);
        }

        return previous;
    }

    /// <summary>
    /// Brings <paramref name="state"/>'s host list up to the reports, then drops hosts not heard from for
    /// <see cref="CoordinatorOptions.ForgetHostsAfter"/> from it and from the view; true when any was dropped.
    /// </summary>
    public bool ForgetHosts(CoordinatorState state, DateTimeOffset now)
    {
        foreach (var (id, report) in _reports)
        {
            state.Hosts[id] = report.At;
        }

        var forgotten = state.Hosts.Where(h => now - h.Value > options.ForgetHostsAfter).Select(h => h.Key).ToArray();
        foreach (var id in forgotten)
        {
            state.Hosts.Remove(id);
            _reports.Remove(id);
        }

        return forgotten.Length > 0;
    }

    /// <summary>Reports of hosts that membership says are active and that reported recently enough.</summary>
    public List<HostReport> Fresh(IReadOnlyDictionary<string, SiloStatus> members, DateTimeOffset now) => _reports.Values
        .Where(r => HostLiveness.Evaluate(r, members.TryGetValue(r.Id, out var s) ? s : null, now).Membership == HostLiveness.Active
            && now - r.At <= HostLiveness.StaleAfter(r))
        .ToList();

    /// <summary>The models to evaluate: live on a fresh host, failed to load somewhere, or with a recent quality drop.</summary>
    public string[] Models(IReadOnlyList<HostReport> fresh, IEnumerable<FleetSignal> qualityDrops) => fresh
        .SelectMany(r => r.Versions.Where(v => v.Role == VersionRole.Live).Select(v => v.Model))
        .Concat(_failedLoads.Keys.Select(k => k.Model))
        .Concat(qualityDrops.Select(s => s.Model))
        .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The live version the fresh hosts report for <paramref name="model"/> (they may be a push behind the registry).</summary>
    public static string? ReportedLive(IReadOnlyList<HostReport> fresh, string model) =>
        fresh.SelectMany(r => r.Versions).FirstOrDefault(v => v.Model == model && v.Role == VersionRole.Live)?.Version;

    /// <summary>A fresh host failed to load a version of <paramref name="model"/>: about a version the hosts do not serve, so only the registry can say which one is live.</summary>
    public bool FailedToLoad(IReadOnlyList<HostReport> fresh, string model) =>
        fresh.Any(r => _failedLoads.Keys.Any(k => k.Host == r.Id && k.Model == model));

    /// <summary>Drops the cached statistics of models no longer evaluated.</summary>
    public void KeepStats(IReadOnlyCollection<string> models)
    {
        foreach (var key in _stats.Keys.Where(k => !models.Contains(k.Model)).ToArray())
        {
            _stats.Remove(key);
        }
    }

    /// <summary>The version's statistics read less than <see cref="CoordinatorOptions.StatsInterval"/> ago, or null: read them again.</summary>
    public ViolationEvidence? CachedViolations(string model, string version, DateTimeOffset now) =>
        _stats.TryGetValue((model, version), out var cached) && now - cached.At < options.StatsInterval ? cached.Evidence : null;

    /// <summary>Caches the version's statistics (its answers and those a fallback step gave instead, by step) as read now.</summary>
    public ViolationEvidence RememberViolations(string model, string version, long served, IReadOnlyDictionary<string, long> fallbacks, DateTimeOffset now)
    {
        var evidence = new ViolationEvidence(served, fallbacks.Values.Sum(), fallbacks, options.ViolationWindow);
        _stats[(model, version)] = (now, evidence);
        return evidence;
    }

    /// <summary>
    /// The evidence for <paramref name="live"/>: hosts that serve it as live and are fresh, the fresh hosts it is placed
    /// on (<paramref name="replicas"/>, null: all) and those of them where it failed to load, its statistics, a
    /// quality drop on it (the last of <paramref name="qualityDrops"/>).
    /// </summary>
    public ModelEvidence Evidence(string model, string live, string? lastKnownGood, ReplicaEndpoint[]? replicas, IReadOnlyList<HostReport> fresh,
        ViolationEvidence? violations, IEnumerable<FleetSignal> qualityDrops, DateTimeOffset now)
    {
        var hosts = new List<HostEvidence>();
        foreach (var report in fresh)
        {
            if (report.Versions.FirstOrDefault(v => v.Model == model && v.Version == live && v.Role == VersionRole.Live) is not { } served)
            {
                continue;
            }

            var fallback = lastKnownGood is null ? null : report.Versions.FirstOrDefault(v => v.Model == model && v.Version == lastKnownGood);
            hosts.Add(new HostEvidence(report.Id, served.Verdict, served.Failing, served.Detail, served.ConsecutiveFailures, report.FailureThreshold, fallback?.Verdict));
        }

        var loadFailures = fresh.Where(r => _failedLoads.ContainsKey((r.Id, model, live)))
            .Select(r => new LoadFailureEvidence(r.Id, _failedLoads[(r.Id, model, live)].Error)).ToArray();
        // Hosts it is not placed on never try to load it: they do not count against "failed everywhere".
        var placed = fresh.Count(r => replicas is null || Array.Exists(replicas, p => p.Host == r.Id) || _failedLoads.ContainsKey((r.Id, model, live)));
        var drop = qualityDrops.LastOrDefault(s => s.Model == model && s.Version == live);
        return new ModelEvidence(model, live, lastKnownGood, hosts, violations, drop, now, loadFailures, placed);
    }

    /// <summary>
    /// Every host placement of <paramref name="route"/>'s model can consider: the ones that reported (status after
    /// liveness), plus placed hosts that are members but have not reported to this activation yet (a coordinator that
    /// just moved must not take them for dead).
    /// </summary>
    public List<PlacementHost> PlacementHosts(ModelRoute route, IReadOnlyDictionary<string, SiloStatus> members, IReadOnlyDictionary<string, int> load,
        IReadOnlyList<Decision> decisions, DateTimeOffset now)
    {
        var hosts = new List<PlacementHost>();
        foreach (var report in _reports.Values)
        {
            var (_, reasons, liveness) = HostLiveness.Evaluate(report, members.TryGetValue(report.Id, out var member) ? member : null, now);
            // Moving replicas off a live member takes twice the staleness that marks it unhealthy: a prober slowed by
            // a busy machine must not empty a placement (membership declares a frozen silo dead on its own).
            var stale = liveness == HostLiveness.Active && now - report.At > 2 * HostLiveness.StaleAfter(report);
            if (liveness != HostLiveness.Active || stale)
            {
                hosts.Add(new PlacementHost(report.Id, report.Url, HostStatus.Unhealthy, reasons.FirstOrDefault() ?? string.Empty,
                    load.GetValueOrDefault(report.Id), Gone: liveness != HostLiveness.Active));
                continue;
            }

            if (report.Url is null)
            {
                continue; // not bound yet (starting): it cannot take replicas, and nothing says it is broken
            }

            hosts.Add(PlacementHostFor(route, report, load.GetValueOrDefault(report.Id), decisions, now));
        }

        foreach (var replica in (route.Replicas ?? []).Where(r => !_reports.ContainsKey(r.Host)))
        {
            var member = members.TryGetValue(replica.Host, out var s) ? s : (SiloStatus?)null;
            hosts.Add(member == SiloStatus.Active
                ? new PlacementHost(replica.Host, replica.Url, HostStatus.Healthy, "not reported to this coordinator yet", load.GetValueOrDefault(replica.Host))
                : new PlacementHost(replica.Host, replica.Url, HostStatus.Unhealthy, member == SiloStatus.Dead
                    ? $"gone: membership declared silo '{replica.Host}' dead"
                    : $"gone: silo '{replica.Host}' is {(member is null ? "not a member of the cluster" : member.ToString()!.ToLowerInvariant())}", 0, Gone: true));
        }

        return hosts;
    }

    /// <summary>
    /// A live host as placement of <paramref name="route"/>'s model sees it. Probe failures of one model are that model's
    /// business (reload, rollback), so a host unhealthy by probes stays usable, last in line; it is unusable for this model
    /// when this model's live version failed to load there, or still fails its probes there after a reload decision.
    /// </summary>
    private PlacementHost PlacementHostFor(ModelRoute route, HostReport report, int load, IReadOnlyList<Decision> decisions, DateTimeOffset now)
    {
        if (_failedLoads.TryGetValue((report.Id, route.Model, route.LiveVersion!), out var failed))
        {
            return new PlacementHost(report.Id, report.Url, HostStatus.Unhealthy, $"version {route.LiveVersion} failed to load there: {failed.Error}", load);
        }

        var served = report.Versions.FirstOrDefault(v => v.Model == route.Model && v.Version == route.LiveVersion && v.Role == VersionRole.Live);
        if (served?.Verdict == ProbeVerdict.Failing
            && decisions.LastOrDefault(d => d.Action == DecisionAction.Reload && d.Model == route.Model && d.Host == report.Id) is { } reload
            && now - reload.Time <= options.CoolDown && now - reload.Time > (2 * report.Interval) + report.Timeout)
        {
            return new PlacementHost(report.Id, report.Url, HostStatus.Unhealthy,
                $"version {served.Version} still fails its {string.Join(", ", served.Failing)} probe after reload {reload.Id}: {served.Detail}", load);
        }

        var rank = report.Status == HostStatus.Unhealthy ? HostStatus.Degraded : report.Status;
        return new PlacementHost(report.Id, report.Url, rank, report.Reasons.FirstOrDefault() ?? string.Empty, load);
    }
}

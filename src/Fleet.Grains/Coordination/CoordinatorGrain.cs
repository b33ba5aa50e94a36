using Fleet.Abstractions.Coordination;
using Fleet.Grains.Hosts;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Statistics;
using Fleet.Abstractions.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The cluster's coordinator. It records the typed signals the detectors send and every host's latest probe report,
/// and on each report or signal evaluates <see cref="DecisionPolicy"/> per served model, through
/// <see cref="DecisionSafety"/>. A decision is persisted as pending before it is applied and as done after; pending
/// ones are finished on activation, idempotently (a rollback applies only while its from-version is still live; a
/// host command is queued under the decision's id once), so a coordinator that dies mid-decision completes it once.
/// </summary>
internal sealed partial class CoordinatorGrain(
    [PersistentState("coordinator", FleetStorage.Name)] IPersistentState<CoordinatorState> state,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    IOptions<CoordinatorOptions> options,
    TimeProvider time,
    ILogger<CoordinatorGrain> logger) : Grain, ICoordinatorGrain
{
    public const int MaxSignals = 1000;
    public const int MaxDecisions = 1000;
    public const string Actor = "coordinator";

    // Not persisted: every host reports again within one probe interval.
    private readonly Dictionary<string, HostReport> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Model, string Version), (DateTimeOffset At, ViolationEvidence Evidence)> _stats = [];

    // Hosts where a version failed to load, kept for the cool-down after the host last reported it: a host the model
    // was moved off stops trying (and reporting) the load, and must neither look usable for it again at once nor drop
    // out of the count of hosts it failed on.
    private readonly Dictionary<(string Host, string Model, string Version), (DateTimeOffset At, string? Error)> _failedLoads = [];

    private bool _crashArmed;

    private CoordinatorOptions Options => options.Value;

    public Task<string> ArmCrash()
    {
        if (!Options.FaultInjection)
        {
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"kind: fault injection is off on silo {silo.Name}, where the coordinator runs (Fleet:FaultInjection:Enabled=false)");
        }

        _crashArmed = true;
        LogCrashArmed(silo.Name);
        return Task.FromResult(silo.Name);
    }

    /// <summary>Drills: dies like a SIGKILL right after a decision was persisted as pending, before it is applied.</summary>
    private void CrashIfArmed(Decision decision)
    {
        if (_crashArmed && decision.Status == DecisionStatus.Pending)
        {
            LogCrashing(silo.Name, decision.Id, decision.Action.ToWire(), decision.Model);
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await CompletePendingAsync();
    }

    public async Task Signal(FleetSignal signal)
    {
        state.State.Signals.Add(signal);
        if (state.State.Signals.Count > MaxSignals)
        {
            state.State.Signals.RemoveRange(0, state.State.Signals.Count - MaxSignals);
        }

        await state.WriteStateAsync();
        LogSignal(signal.Kind, signal.Model, signal.Version, signal.Reason);
        await EvaluateAsync();
    }

    public Task<FleetSignal[]> GetSignals(string? model, int limit) => Task.FromResult(state.State.Signals
        .AsEnumerable().Reverse()
        .Where(s => model is null || s.Model == model)
        .Take(Math.Clamp(limit, 0, MaxSignals))
        .ToArray());

    public async Task ReportHost(HostReport report)
    {
        _reports.TryGetValue(report.Id, out var previous);
        _reports[report.Id] = report;
        RememberFailedLoads(report);
        var isNew = state.State.Hosts.TryAdd(report.Id, report.At);
        if (RecordTransitions(previous, report) || isNew)
        {
            await state.WriteStateAsync();
        }

        await EvaluateAsync();
    }

    private void RememberFailedLoads(HostReport report)
    {
        foreach (var key in _failedLoads.Keys.Where(k => report.At - _failedLoads[k].At > Options.CoolDown
            || (k.Host == report.Id && report.Versions.Any(v => v.Model == k.Model && v.Version == k.Version && v.Role == "live"))).ToArray())
        {
            _failedLoads.Remove(key);
        }

        foreach (var failed in report.FailedLoads ?? [])
        {
            _failedLoads[(report.Id, failed.Model, failed.Version)] = (report.At, failed.Error);
        }
    }

    public Task<string[]> GetHostIds() => Task.FromResult(state.State.Hosts.Keys.Order(StringComparer.Ordinal).ToArray());

    public Task<Decision[]> GetDecisions(string? model, int limit) => Task.FromResult(state.State.Decisions
        .AsEnumerable().Reverse()
        .Where(d => model is null || d.Model == model)
        .Take(Math.Clamp(limit, 0, MaxDecisions))
        .ToArray());

    public Task<Decision[]> Evaluate() => EvaluateAsync();

    private async Task<Decision[]> EvaluateAsync()
    {
        await CompletePendingAsync();
        if (!Options.Enabled)
        {
            return [];
        }

        var now = time.GetUtcNow();
        await ForgetHostsAsync(now);
        var fresh = FreshReports(now);
        var models = fresh.SelectMany(r => r.Versions.Where(v => v.Role == "live").Select(v => v.Model))
            .Concat(_failedLoads.Keys.Select(k => k.Model))
            .Concat(RecentQualityDrops(now).Select(s => s.Model))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var made = new List<Decision>();
        foreach (var model in models)
        {
            try
            {
                made.AddRange(await EvaluateModelAsync(model, fresh, now));
            }
            catch (Exception ex)
            {
                // A grain of that model is unreachable (a silo just died): the next report evaluates it again.
                LogEvaluationFailed(model, ex);
            }
        }

        try
        {
            made.AddRange(await PlaceAsync(now));
        }
        catch (Exception ex)
        {
            // The catalog or a model grain is unreachable (a silo just died): the next report places again.
            LogPlacementFailed(ex);
        }

        foreach (var key in _stats.Where(kv => !models.Contains(kv.Key.Model)).Select(kv => kv.Key).ToArray())
        {
            _stats.Remove(key);
        }

        return [.. made];
    }

    private async Task<List<Decision>> EvaluateModelAsync(string model, IReadOnlyList<HostReport> fresh, DateTimeOffset now)
    {
        var made = new List<Decision>();
        var reportedLive = fresh.SelectMany(r => r.Versions).FirstOrDefault(v => v.Model == model && v.Role == "live")?.Version;
        var cheap = reportedLive is null ? null : await EvidenceAsync(model, reportedLive, null, null, fresh, now);
        // A failed load is about a version the hosts do not serve: only the registry can say which one is live.
        var failedLoad = fresh.Any(r => _failedLoads.Keys.Any(k => k.Host == r.Id && k.Model == model));
        if (!failedLoad && cheap is not null && DecisionPolicy.Propose(cheap, Options).Count == 0)
        {
            return made;
        }

        // Something fires on what the hosts report: confirm against the registry (the hosts may be a push behind).
        var route = await GrainFactory.GetGrain<IModelGrain>(model).GetRoute();
        if (route?.LiveVersion is not { } live)
        {
            return made;
        }

        var evidence = await EvidenceAsync(model, live, route.FallbackVersion, route.Replicas, fresh, now);
        var proposals = DecisionPolicy.Propose(evidence, Options);
        if (proposals.Count == 0)
        {
            return made;
        }

        var pin = await GrainFactory.GetGrain<IModelGrain>(model).GetPin();
        foreach (var proposal in proposals)
        {
            var (outcome, note) = DecisionSafety.Check(proposal, state.State.Decisions, pin, Options, now);
            if (outcome == GateOutcome.Suppress)
            {
                continue;
            }

            var decision = outcome == GateOutcome.Skip
                ? Record(proposal with { Action = DecisionAction.Skipped, Reason = note!, IntendedAction = proposal.IntendedAction ?? proposal.Action }, now, DecisionStatus.Done)
                : Record(proposal, now, DecisionStatus.Pending);
            made.Add(await CommitAsync(decision));
        }

        return made;
    }

    /// <summary>
    /// Replica placement for every model with a live version (<see cref="ReplicaPlacement"/>): spread over hosts once there
    /// are more than its replication factor, moved off hosts that died or turned unhealthy. Not subject to the cool-down
    /// or the cap (a second host failure must fail over too); a placement only changes when the hosts do.
    /// </summary>
    private async Task<List<Decision>> PlaceAsync(DateTimeOffset now)
    {
        var made = new List<Decision>();
        if (_reports.Count == 0)
        {
            return made;
        }

        var routes = await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).GetRoutes();
        var members = HostLiveness.ByName(membership.CurrentSnapshot.Members.Values);
        var load = routes.SelectMany(r => r.Replicas ?? []).GroupBy(r => r.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var route in routes.Where(r => r.LiveVersion is not null).OrderBy(r => r.Model, StringComparer.Ordinal))
        {
            var factor = route.Config.Replicas ?? Options.ReplicationFactor;
            if (factor <= 0)
            {
                continue;
            }

            var hosts = PlacementHosts(route, members, load, now);
            var proposal = ReplicaPlacement.Decide(route.Model, route.LiveVersion!, route.Replicas, factor, hosts, now);
            if (proposal is null)
            {
                continue;
            }

            if (proposal.Action == DecisionAction.Degraded)
            {
                // A statement of fact, once per cool-down per model: the cap (made for actions) does not apply.
                if (DecisionSafety.CoolingDown(proposal, state.State.Decisions, Options, now) is not null)
                {
                    continue;
                }

                made.Add(await CommitAsync(Record(proposal, now, DecisionStatus.Done, "no placement change: its hosts answer through their fallback chain")));
                continue;
            }

            foreach (var replica in route.Replicas ?? [])
            {
                load[replica.Host] = load.GetValueOrDefault(replica.Host) - 1;
            }

            foreach (var replica in proposal.Replicas!)
            {
                load[replica.Host] = load.GetValueOrDefault(replica.Host) + 1;
            }

            made.Add(await CommitAsync(Record(proposal, now, DecisionStatus.Pending)));
        }

        return made;
    }

    /// <summary>
    /// Every host placement can consider: the ones that reported (status after liveness), plus placed hosts that are
    /// members but have not reported to this activation yet (a coordinator that just moved must not take them for dead).
    /// </summary>
    private List<PlacementHost> PlacementHosts(ModelRoute route, Dictionary<string, SiloStatus> members, Dictionary<string, int> load, DateTimeOffset now)
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

            hosts.Add(PlacementHostFor(route, report, load.GetValueOrDefault(report.Id), now));
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
    private PlacementHost PlacementHostFor(ModelRoute route, HostReport report, int load, DateTimeOffset now)
    {
        if (_failedLoads.TryGetValue((report.Id, route.Model, route.LiveVersion!), out var failed))
        {
            return new PlacementHost(report.Id, report.Url, HostStatus.Unhealthy, $"version {route.LiveVersion} failed to load there: {failed.Error}", load);
        }

        var served = report.Versions.FirstOrDefault(v => v.Model == route.Model && v.Version == route.LiveVersion && v.Role == "live");
        if (served?.Verdict == ProbeVerdict.Failing
            && state.State.Decisions.LastOrDefault(d => d.Action == DecisionAction.Reload && d.Model == route.Model && d.Host == report.Id) is { } reload
            && now - reload.Time <= Options.CoolDown && now - reload.Time > (2 * report.Interval) + report.Timeout)
        {
            return new PlacementHost(report.Id, report.Url, HostStatus.Unhealthy,
                $"version {served.Version} still fails its {string.Join(", ", served.Failing)} probe after reload {reload.Id}: {served.Detail}", load);
        }

        var rank = report.Status == HostStatus.Unhealthy ? HostStatus.Degraded : report.Status;
        return new PlacementHost(report.Id, report.Url, rank, report.Reasons.FirstOrDefault() ?? string.Empty, load);
    }

    /// <summary>
    /// The evidence for <paramref name="live"/>: hosts that serve it as live and are fresh, the fresh hosts it is placed
    /// on (<paramref name="replicas"/>, null: all) and those of them where it failed to load, its statistics (cached), a
    /// quality drop on it.
    /// </summary>
    private async Task<ModelEvidence> EvidenceAsync(string model, string live, string? lastKnownGood, ReplicaEndpoint[]? replicas,
        IReadOnlyList<HostReport> fresh, DateTimeOffset now)
    {
        var hosts = new List<HostEvidence>();
        foreach (var report in fresh)
        {
            if (report.Versions.FirstOrDefault(v => v.Model == model && v.Version == live && v.Role == "live") is not { } served)
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
        var drop = RecentQualityDrops(now).LastOrDefault(s => s.Model == model && s.Version == live);
        return new ModelEvidence(model, live, lastKnownGood, hosts, await ViolationsAsync(model, live, now), drop, now, loadFailures, placed);
    }

    private async Task<ViolationEvidence?> ViolationsAsync(string model, string version, DateTimeOffset now)
    {
        if (_stats.TryGetValue((model, version), out var cached) && now - cached.At < Options.StatsInterval)
        {
            return cached.Evidence;
        }

        var snapshot = await GrainFactory.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(model, version)).Query(Options.ViolationWindow);
        var evidence = new ViolationEvidence(snapshot.Requests, snapshot.Fallbacks.Values.Sum(), snapshot.Fallbacks, Options.ViolationWindow);
        _stats[(model, version)] = (now, evidence);
        return evidence;
    }

    /// <summary>
    /// Persists a recorded decision, then applies it when pending: persisted first, so a coordinator that dies in
    /// between completes it on its next activation.
    /// </summary>
    private async Task<Decision> CommitAsync(Decision decision)
    {
        await state.WriteStateAsync();
        LogDecision(decision.Id, decision.Action.ToWire(), decision.Model, decision.FromVersion, decision.ToVersion, decision.Reason);
        CrashIfArmed(decision);
        return decision.Status == DecisionStatus.Pending ? await ApplyAsync(decision) : decision;
    }

    private Decision Record(ProposedDecision p, DateTimeOffset now, DecisionStatus status, string? outcome = null)
    {
        var id = $"d{++state.State.DecisionCount:D6}";
        var decision = new Decision(id, now, p.Model, p.Action, p.FromVersion, p.ToVersion, p.Host, p.Reason, p.Evidence, status,
            outcome, status == DecisionStatus.Done ? now : null, p.IntendedAction, p.Replicas);
        state.State.Decisions.Add(decision);
        if (state.State.Decisions.Count > MaxDecisions)
        {
            // Pending decisions are never dropped: only finished ones age out.
            var finished = state.State.Decisions.FindIndex(d => d.Status != DecisionStatus.Pending);
            state.State.Decisions.RemoveAt(finished);
        }

        return decision;
    }

    /// <summary>Finishes every pending decision (after a restart, or one whose action failed transiently).</summary>
    private async Task CompletePendingAsync()
    {
        foreach (var pending in state.State.Decisions.Where(d => d.Status == DecisionStatus.Pending).ToArray())
        {
            await ApplyAsync(pending);
        }
    }

    /// <summary>Applies a pending decision idempotently and records the outcome; a transient failure leaves it pending.</summary>
    private async Task<Decision> ApplyAsync(Decision decision)
    {
        DecisionStatus status;
        string outcome;
        try
        {
            (status, outcome) = decision.Action switch
            {
                DecisionAction.Rollback => await RollbackAsync(decision),
                DecisionAction.Reload => await ReloadAsync(decision),
                DecisionAction.Place or DecisionAction.Failover => await PlaceReplicasAsync(decision),
                _ => (DecisionStatus.Done, "nothing to apply"),
            };
        }
        catch (RegistryException ex)
        {
            (status, outcome) = (DecisionStatus.Failed, ex.Message);
        }
        catch (Exception ex)
        {
            LogApplyFailed(decision.Id, ex);
            return decision;
        }

        var done = decision with { Status = status, Outcome = outcome, CompletedAt = time.GetUtcNow() };
        var index = state.State.Decisions.FindIndex(d => d.Id == decision.Id);
        state.State.Decisions[index] = done;
        await state.WriteStateAsync();
        LogApplied(done.Id, done.Status.ToWire(), outcome);
        return done;
    }

    private async Task<(DecisionStatus Status, string Outcome)> RollbackAsync(Decision decision)
    {
        var grain = GrainFactory.GetGrain<IModelGrain>(decision.Model);
        var info = await grain.TryGetInfo() ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{decision.Model}' not found");
        if (info.LiveVersion != decision.FromVersion)
        {
            // Applied before a restart, or someone else moved the model meanwhile: nothing to do, and nothing done twice.
            return (DecisionStatus.Done, $"no-op: version {decision.FromVersion} is no longer live (live: {info.LiveVersion ?? "none"})");
        }

        var change = await grain.Rollback(decision.ToVersion, quarantineCurrent: true, $"{decision.Reason} [decision {decision.Id}]", Actor);
        return (DecisionStatus.Done, $"rolled back from {change.PreviousLiveVersion} to {change.LiveVersion}; version {change.PreviousLiveVersion} quarantined");
    }

    private async Task<(DecisionStatus Status, string Outcome)> ReloadAsync(Decision decision)
    {
        var command = new HostCommand(decision.Id, DecisionAction.Reload.ToWire(), decision.Model, decision.FromVersion!, decision.Reason, decision.Time);
        var queued = await GrainFactory.GetGrain<IHostGrain>(decision.Host!).Enqueue(command);
        return (DecisionStatus.Done, queued ? $"reload queued for host {decision.Host}" : $"reload already queued for host {decision.Host}");
    }

    private async Task<(DecisionStatus Status, string Outcome)> PlaceReplicasAsync(Decision decision)
    {
        var route = await GrainFactory.GetGrain<IModelGrain>(decision.Model)
            .SetReplicas(decision.Replicas, $"{decision.Reason} [decision {decision.Id}]", Actor);
        var hosts = ReplicaEndpoint.Describe(route.Replicas);
        return (DecisionStatus.Done, $"replicas: {hosts} (route revision {route.Revision} pushed to every silo)");
    }

    /// <summary>Reports of hosts that membership says are active and that reported recently enough.</summary>
    private List<HostReport> FreshReports(DateTimeOffset now)
    {
        var members = HostLiveness.ByName(membership.CurrentSnapshot.Members.Values);
        return _reports.Values
            .Where(r => HostLiveness.Evaluate(r, members.TryGetValue(r.Id, out var s) ? s : null, now).Membership == HostLiveness.Active
                && now - r.At <= HostLiveness.StaleAfter(r))
            .ToList();
    }

    private IEnumerable<FleetSignal> RecentQualityDrops(DateTimeOffset now) =>
        state.State.Signals.Where(s => s.Kind == DecisionPolicy.QualityDrop && s.Version is not null && now - s.At <= Options.ActionWindow);

    private async Task ForgetHostsAsync(DateTimeOffset now)
    {
        foreach (var (id, report) in _reports)
        {
            state.State.Hosts[id] = report.At;
        }

        var forgotten = state.State.Hosts.Where(h => now - h.Value > Options.ForgetHostsAfter).Select(h => h.Key).ToArray();
        if (forgotten.Length == 0)
        {
            return;
        }

        foreach (var id in forgotten)
        {
            state.State.Hosts.Remove(id);
            _reports.Remove(id);
        }

        await state.WriteStateAsync();
    }

    /// <summary>A version that turns failing or recovers on a host is kept as a signal (evidence, visible with the others); true when one was.</summary>
    private bool RecordTransitions(HostReport? previous, HostReport report)
    {
        var recorded = false;
        foreach (var version in report.Versions)
        {
            var before = previous?.Versions.FirstOrDefault(v => v.Model == version.Model && v.Version == version.Version)?.Verdict;
            var kind = (before, version.Verdict) switch
            {
                (not ProbeVerdict.Failing, ProbeVerdict.Failing) => "probe_failed",
                (ProbeVerdict.Failing, ProbeVerdict.Passing) => "probe_recovered",
                _ => null,
            };
            if (kind is null)
            {
                continue;
            }

            state.State.Signals.Add(new FleetSignal(kind, version.Model, version.Version, report.At,
                kind == "probe_failed"
                    ? $"host {report.Id}: {string.Join(", ", version.Failing)} failing for {version.ConsecutiveFailures} consecutive probes: {version.Detail}"
                    : $"host {report.Id}: probes pass again",
                new Dictionary<string, double> { ["consecutive_failures"] = version.ConsecutiveFailures }));
            LogSignal(kind, version.Model, version.Version, $"host {report.Id}");
            recorded = true;
        }

        if (state.State.Signals.Count > MaxSignals)
        {
            state.State.Signals.RemoveRange(0, state.State.Signals.Count - MaxSignals);
        }

        return recorded;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injection: the coordinator on silo {Silo} will kill its process after the next pending decision")]
    private partial void LogCrashArmed(string silo);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fault injection: killing silo {Silo} with decision {Id} ({Action} of {Model}) pending")]
    private partial void LogCrashing(string silo, string id, string action, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal {Kind} for model {Model} version {Version}: {Reason}")]
    private partial void LogSignal(string kind, string model, string? version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Id}: {Action} of {Model} {From} -> {To}: {Reason}")]
    private partial void LogDecision(string id, string action, string model, string? from, string? to, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Id} {Status}: {Outcome}")]
    private partial void LogApplied(string id, string status, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Id} could not be applied yet; it stays pending and is retried")]
    private partial void LogApplyFailed(string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica placement failed; the next host report retries")]
    private partial void LogPlacementFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluating model {Model} failed; the next host report retries")]
    private partial void LogEvaluationFailed(string model, Exception exception);
}

using Fleet.Abstractions.Alerting;
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
/// The grain gathers inputs from other grains and persists and applies; what it knows of the hosts and the evidence
/// it derives live in <see cref="FleetView"/>, the changes to its state in <see cref="DecisionTransitions"/>; its watch
/// over hosts and serving statistics (signals only) in CoordinatorGrain.Watch.cs.
/// </summary>
internal sealed partial class CoordinatorGrain(
    [PersistentState("coordinator", FleetStorage.Name)] IPersistentState<CoordinatorState> state,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    IOptions<CoordinatorOptions> options,
    IOptions<Fleet.Grains.Alerting.AlertingOptions> alerting,
    TimeProvider time,
    ILogger<CoordinatorGrain> logger,
    ICoordinatorFaults? faults = null) : Grain, ICoordinatorGrain
{
    public const int MaxSignals = DecisionTransitions.MaxSignals;
    public const int MaxDecisions = DecisionTransitions.MaxDecisions;
    public const string Actor = "coordinator";

    private readonly FleetView _view = new(options.Value);

    // Registered only where fault injection is enabled (the crash drill); elsewhere nothing can be armed.
    private readonly ICoordinatorFaults _faults = faults ?? NoCoordinatorFaults.Instance;

    private CoordinatorOptions Options => options.Value;

    public Task<string> ArmCrash() => _faults.TryArm()
        ? Task.FromResult(silo.Name)
        : throw new RegistryException(RegistryErrorKind.Invalid,
            $"kind: fault injection is off on silo {silo.Name}, where the coordinator runs (Fleet:FaultInjection:Enabled=false)");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await CompletePendingAsync();
    }

    public async Task Signal(FleetSignal signal)
    {
        var recorded = DecisionTransitions.AddSignals(state.State, [signal]);
        await state.WriteStateAsync();
        LogSignal(signal.Kind.ToWire(), signal.Model, signal.Version, signal.Reason);
        await AnnounceAsync(recorded);
        await EvaluateAsync();
    }

    public Task<FleetSignal[]> GetSignals(string? model, int limit) => Task.FromResult(state.State.Signals
        .AsEnumerable().Reverse()
        .Where(s => model is null || s.Model == model)
        .Take(Math.Clamp(limit, 0, MaxSignals))
        .ToArray());

    public async Task ReportHost(HostReport report)
    {
        var previous = _view.Record(report);
        var isNew = state.State.Hosts.TryAdd(report.Id, report.At);
        var transitions = DecisionTransitions.AddSignals(state.State, DecisionTransitions.ProbeTransitions(previous, report));
        foreach (var signal in transitions)
        {
            LogSignal(signal.Kind.ToWire(), signal.Model, signal.Version, $"host {report.Id}");
        }

        if (transitions.Count > 0 || isNew)
        {
            await state.WriteStateAsync();
        }

        await AnnounceAsync(transitions);
        await EvaluateAsync();
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
        var now = time.GetUtcNow();
        if (_view.ForgetHosts(state.State, now))
        {
            await state.WriteStateAsync();
        }

        // Signals only: they are raised with decisions switched off too.
        await WatchHostsAsync(now);
        await WatchServingAsync(now);
        if (!Options.Enabled)
        {
            return [];
        }

        var fresh = _view.Fresh(Members(), now);
        var models = _view.Models(fresh, DecisionTransitions.RecentQualityDrops(state.State, Options, now));
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

        _view.KeepStats(models);
        return [.. made];
    }

    private async Task<List<Decision>> EvaluateModelAsync(string model, IReadOnlyList<HostReport> fresh, DateTimeOffset now)
    {
        var made = new List<Decision>();
        var drops = DecisionTransitions.RecentQualityDrops(state.State, Options, now);
        var reportedLive = FleetView.ReportedLive(fresh, model);
        var cheap = reportedLive is null ? null
            : _view.Evidence(model, reportedLive, null, null, fresh, await ViolationsAsync(model, reportedLive, now), drops, now);
        if (!_view.FailedToLoad(fresh, model) && cheap is not null && DecisionPolicy.Propose(cheap, Options).Count == 0)
        {
            return made;
        }

        // Something fires on what the hosts report: confirm against the registry (the hosts may be a push behind).
        var route = await GrainFactory.GetGrain<IModelGrain>(model).GetRoute();
        if (route?.LiveVersion is not { } live)
        {
            return made;
        }

        var evidence = _view.Evidence(model, live, route.FallbackVersion, route.Replicas, fresh, await ViolationsAsync(model, live, now), drops, now);
        var proposals = DecisionPolicy.Propose(evidence, Options);
        if (proposals.Count == 0)
        {
            return made;
        }

        var pin = await GrainFactory.GetGrain<IModelGrain>(model).GetPin();
        foreach (var proposal in proposals)
        {
            // One at a time: the safety rules of the next proposal see the decision just made.
            if (DecisionTransitions.Gate(state.State, proposal, pin, Options, now) is { } decision)
            {
                made.Add(await CommitAsync(decision));
            }
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
        if (_view.Reports.Count == 0)
        {
            return made;
        }

        var routes = await GrainFactory.GetGrain<IModelCatalogGrain>(IModelCatalogGrain.Key).GetRoutes();
        var members = Members();
        var load = DecisionTransitions.Load(routes);
        foreach (var route in routes.Where(r => r.LiveVersion is not null).OrderBy(r => r.Model, StringComparer.Ordinal))
        {
            var factor = route.Config.Replicas ?? Options.ReplicationFactor;
            if (factor <= 0)
            {
                continue;
            }

            var hosts = _view.PlacementHosts(route, members, load, state.State.Decisions, now);
            if (ReplicaPlacement.Decide(route.Model, route.LiveVersion!, route.Replicas, factor, hosts, now) is { } proposal
                && DecisionTransitions.RecordPlacement(state.State, proposal, route.Replicas, load, Options, now) is { } decision)
            {
                made.Add(await CommitAsync(decision));
            }
        }

        return made;
    }

    private async Task<ViolationEvidence> ViolationsAsync(string model, string version, DateTimeOffset now)
    {
        if (_view.CachedViolations(model, version, now) is { } cached)
        {
            return cached;
        }

        var snapshot = await GrainFactory.GetGrain<IVersionStatsGrain>(IVersionStatsGrain.KeyOf(model, version)).Query(Options.ViolationWindow);
        return _view.RememberViolations(model, version, snapshot.Requests, snapshot.Fallbacks, now);
    }

    /// <summary>
    /// Persists a recorded decision, then applies it when pending: persisted first, so a coordinator that dies in
    /// between completes it on its next activation.
    /// </summary>
    private async Task<Decision> CommitAsync(Decision decision)
    {
        // A decision recorded as done (skipped, degraded) is announced with it; a pending one once applied.
        var announced = decision.Status == DecisionStatus.Pending ? [] : DecisionTransitions.AddSignals(state.State, [DecisionTransitions.SignalOf(decision)]);
        await state.WriteStateAsync();
        LogDecision(decision.Id, decision.Action.ToWire(), decision.Model, decision.FromVersion, decision.ToVersion, decision.Reason);
        _faults.Persisted(decision);
        await AnnounceAsync(announced);
        return decision.Status == DecisionStatus.Pending ? await ApplyAsync(decision) : decision;
    }

    /// <summary>Finishes every pending decision (after a restart, or one whose action failed transiently).</summary>
    private async Task CompletePendingAsync()
    {
        foreach (var pending in DecisionTransitions.Pending(state.State))
        {
            await ApplyAsync(pending);
        }
    }

    /// <summary>Applies a pending decision idempotently and records the outcome; a transient failure leaves it pending.</summary>
    private async Task<Decision> ApplyAsync(Decision decision)
    {
        using var span = GrainActivity.Source.StartActivity($"decision {decision.Action.ToWire()}");
        span?.SetTag("fleet.model", decision.Model).SetTag("fleet.decision", decision.Id).SetTag("fleet.from_version", decision.FromVersion)
            .SetTag("fleet.to_version", decision.ToVersion).SetTag("fleet.host", decision.Host);
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

        span?.SetTag("fleet.status", status.ToWire()).SetTag("fleet.outcome", outcome);
        var done = DecisionTransitions.Complete(state.State, decision, status, outcome, time.GetUtcNow());
        var announced = DecisionTransitions.AddSignals(state.State, [DecisionTransitions.SignalOf(done)]);
        await state.WriteStateAsync();
        LogApplied(done.Id, done.Status.ToWire(), outcome);
        await AnnounceAsync(announced);
        return done;
    }

    private async Task<(DecisionStatus Status, string Outcome)> RollbackAsync(Decision decision)
    {
        var grain = GrainFactory.GetGrain<IModelGrain>(decision.Model);
        var info = await grain.TryGetInfo() ?? throw new RegistryException(RegistryErrorKind.NotFound, $"model '{decision.Model}' not found");
        if (DecisionTransitions.RollbackAlreadyDone(decision, info.LiveVersion) is { } noOp)
        {
            return (DecisionStatus.Done, noOp);
        }

        var change = await grain.Rollback(decision.ToVersion, quarantineCurrent: true, DecisionTransitions.AuditReason(decision), Actor);
        return (DecisionStatus.Done, DecisionTransitions.RolledBack(change));
    }

    private async Task<(DecisionStatus Status, string Outcome)> ReloadAsync(Decision decision)
    {
        var queued = await GrainFactory.GetGrain<IHostGrain>(decision.Host!).Enqueue(DecisionTransitions.ReloadCommand(decision));
        return (DecisionStatus.Done, DecisionTransitions.Reloaded(decision, queued));
    }

    private async Task<(DecisionStatus Status, string Outcome)> PlaceReplicasAsync(Decision decision)
    {
        var route = await GrainFactory.GetGrain<IModelGrain>(decision.Model).SetReplicas(decision.Replicas, DecisionTransitions.AuditReason(decision), Actor);
        return (DecisionStatus.Done, DecisionTransitions.Placed(route));
    }

    /// <summary>
    /// Passes recorded signals to the alerting grain, one-way (its deliveries never hold the coordinator up). A call
    /// that cannot even be sent is logged: the signal stays recorded here and listed by <c>fleet signals</c>.
    /// </summary>
    private async Task AnnounceAsync(IReadOnlyList<FleetSignal> signals)
    {
        foreach (var signal in signals)
        {
            try
            {
                await GrainFactory.GetGrain<IAlertingGrain>(IAlertingGrain.Key).Observe(signal);
            }
            catch (Exception ex)
            {
                LogAnnounceFailed(signal.Id, signal.Kind.ToWire(), ex);
            }
        }
    }

    private Dictionary<string, SiloStatus> Members() => HostLiveness.ByName(membership.CurrentSnapshot.Members.Values);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal {Kind} for model {Model} version {Version}: {Reason}")]
    private partial void LogSignal(string kind, string model, string? version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Id}: {Action} of {Model} {From} -> {To}: {Reason}")]
    private partial void LogDecision(string id, string action, string model, string? from, string? to, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {Id} {Status}: {Outcome}")]
    private partial void LogApplied(string id, string status, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {Id} could not be applied yet; it stays pending and is retried")]
    private partial void LogApplyFailed(string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signal {Id} ({Kind}) could not be passed to the alerting grain; it stays in the signal list")]
    private partial void LogAnnounceFailed(string? id, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica placement failed; the next host report retries")]
    private partial void LogPlacementFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluating model {Model} failed; the next host report retries")]
    private partial void LogEvaluationFailed(string model, Exception exception);
}

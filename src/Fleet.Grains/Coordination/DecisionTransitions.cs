using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The coordinator's changes to its <see cref="CoordinatorState"/> as pure functions: signals recorded (bounded),
/// proposals gated and recorded as decisions (pending, or done when skipped or degraded), pending decisions finished
/// as done or failed, with the outcome texts. The grain persists and applies what they return.
/// </summary>
internal static class DecisionTransitions
{
    public const int MaxSignals = 1000;

    /// <summary>
    /// The probe checks whose failure means a version does not answer right on that host (the server's ProbeChecks.Hard):
    /// a failure of only the others (latency, provider) is a warning, not a page.
    /// </summary>
    private static readonly string[] HardChecks = ["liveness", "golden", "artifact"];
    public const int MaxDecisions = 1000;

    /// <summary>Records signals (bounded, oldest dropped) with their ids given; returns them as recorded.</summary>
    public static List<FleetSignal> AddSignals(CoordinatorState state, IEnumerable<FleetSignal> signals)
    {
        var recorded = signals.Select(s => s.Id is null ? s with { Id = $"s{++state.SignalCount:D6}" } : s).ToList();
        state.Signals.AddRange(recorded);
        if (state.Signals.Count > MaxSignals)
        {
            state.Signals.RemoveRange(0, state.Signals.Count - MaxSignals);
        }

        return recorded;
    }

    /// <summary>A version that turns failing or recovers on a host, as a signal (evidence, visible with the others).</summary>
    public static List<FleetSignal> ProbeTransitions(HostReport? previous, HostReport report)
    {
        var signals = new List<FleetSignal>();
        foreach (var version in report.Versions)
        {
            var before = previous?.Versions.FirstOrDefault(v => v.Model == version.Model && v.Version == version.Version)?.Verdict;
            SignalKind? kind = (before, version.Verdict) switch
            {
                (not ProbeVerdict.Failing, ProbeVerdict.Failing) => SignalKind.ProbeFailed,
                (ProbeVerdict.Failing, ProbeVerdict.Passing) => SignalKind.ProbeRecovered,
                _ => null,
            };
            if (kind is null)
            {
                continue;
            }

            signals.Add(new FleetSignal(kind.Value, version.Model, version.Version, report.At,
                kind == SignalKind.ProbeFailed
                    ? $"host {report.Id}: {string.Join(", ", version.Failing)} failing for {version.ConsecutiveFailures} consecutive probes: {version.Detail}"
                    : $"host {report.Id}: probes pass again",
                new Dictionary<string, double> { ["consecutive_failures"] = version.ConsecutiveFailures }, Host: report.Id,
                Severity: kind == SignalKind.ProbeFailed && !version.Failing.Any(HardChecks.Contains) ? Abstractions.Alerting.Severity.Warning : null));
        }

        return signals;
    }

    public static IEnumerable<FleetSignal> RecentQualityDrops(CoordinatorState state, CoordinatorOptions options, DateTimeOffset now) =>
        state.Signals.Where(s => s.Kind == SignalKind.QualityDrop && s.Version is not null && now - s.At <= options.ActionWindow);

    /// <summary>
    /// A policy proposal through <see cref="DecisionSafety"/>: recorded as pending, recorded as done <c>skipped</c>
    /// (with why and what it would have done), or null when suppressed (cooling down).
    /// </summary>
    public static Decision? Gate(CoordinatorState state, ProposedDecision proposal, ModelPin? pin, CoordinatorOptions options, DateTimeOffset now)
    {
        var (outcome, note) = DecisionSafety.Check(proposal, state.Decisions, pin, options, now);
        return outcome switch
        {
            GateOutcome.Suppress => null,
            GateOutcome.Skip => Record(state, proposal with
            {
                Action = DecisionAction.Skipped, Reason = note!, IntendedAction = proposal.IntendedAction ?? proposal.Action,
            }, now, DecisionStatus.Done),
            _ => Record(state, proposal, now, DecisionStatus.Pending),
        };
    }

    /// <summary>How many replicas each host holds across <paramref name="routes"/>.</summary>
    public static Dictionary<string, int> Load(IEnumerable<ModelRoute> routes) => routes
        .SelectMany(r => r.Replicas ?? []).GroupBy(r => r.Host, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// A placement proposal (<see cref="ReplicaPlacement"/>) recorded: <c>degraded</c> is a statement of fact, recorded done
    /// once per cool-down per model (null meanwhile; the cap, made for actions, does not apply); a move is recorded pending
    /// and shifts <paramref name="load"/> from the old replicas to the new ones, for the models placed after it.
    /// </summary>
    public static Decision? RecordPlacement(CoordinatorState state, ProposedDecision proposal, ReplicaEndpoint[]? current, Dictionary<string, int> load,
        CoordinatorOptions options, DateTimeOffset now)
    {
        if (proposal.Action == DecisionAction.Degraded)
        {
            return DecisionSafety.CoolingDown(proposal, state.Decisions, options, now) is null
                ? Record(state, proposal, now, DecisionStatus.Done, "no placement change: its hosts answer through their fallback chain")
                : null;
        }

        foreach (var replica in current ?? [])
        {
            load[replica.Host] = load.GetValueOrDefault(replica.Host) - 1;
        }

        foreach (var replica in proposal.Replicas!)
        {
            load[replica.Host] = load.GetValueOrDefault(replica.Host) + 1;
        }

        return Record(state, proposal, now, DecisionStatus.Pending);
    }

    /// <summary>Numbers and appends a decision; at most <see cref="MaxDecisions"/>, and pending ones are never dropped: only finished ones age out.</summary>
    public static Decision Record(CoordinatorState state, ProposedDecision p, DateTimeOffset now, DecisionStatus status, string? outcome = null)
    {
        var id = $"d{++state.DecisionCount:D6}";
        var decision = new Decision(id, now, p.Model, p.Action, p.FromVersion, p.ToVersion, p.Host, p.Reason, p.Evidence, status,
            outcome, status == DecisionStatus.Done ? now : null, p.IntendedAction, p.Replicas);
        state.Decisions.Add(decision);
        if (state.Decisions.Count > MaxDecisions)
        {
            state.Decisions.RemoveAt(state.Decisions.FindIndex(d => d.Status != DecisionStatus.Pending));
        }

        return decision;
    }

    public static Decision[] Pending(CoordinatorState state) => state.Decisions.Where(d => d.Status == DecisionStatus.Pending).ToArray();

    /// <summary>A pending decision finished: done or failed with its outcome, in place of the pending record.</summary>
    public static Decision Complete(CoordinatorState state, Decision decision, DecisionStatus status, string outcome, DateTimeOffset now)
    {
        var done = decision with { Status = status, Outcome = outcome, CompletedAt = now };
        state.Decisions[state.Decisions.FindIndex(d => d.Id == decision.Id)] = done;
        return done;
    }

    /// <summary>
    /// A completed decision as a <c>decision</c> signal (its action the subject, <c>failed</c> 1 when it failed), so
    /// alerts and incidents see it: rollbacks, failovers and degraded models are critical, skipped ones and reloads
    /// warnings, placements information.
    /// </summary>
    public static FleetSignal SignalOf(Decision decision)
    {
        var evidence = new Dictionary<string, double>(decision.Evidence.Observed) { ["failed"] = decision.Status == DecisionStatus.Failed ? 1 : 0 };
        var severity = decision.Action switch
        {
            DecisionAction.Rollback or DecisionAction.Failover or DecisionAction.Degraded => Abstractions.Alerting.Severity.Critical,
            DecisionAction.Skipped or DecisionAction.Reload => Abstractions.Alerting.Severity.Warning,
            _ => Abstractions.Alerting.Severity.Info,
        };
        var outcome = decision.Outcome is null ? decision.Status.ToWire() : $"{decision.Status.ToWire()}: {decision.Outcome}";
        return new FleetSignal(SignalKind.Decision, decision.Model, decision.FromVersion, decision.CompletedAt ?? decision.Time,
            $"{decision.Reason} [decision {decision.Id}, {outcome}]", evidence, decision.Host, severity, null, decision.Action.ToWire());
    }

    /// <summary>The reason the registry's audit log records for a change a decision makes.</summary>
    public static string AuditReason(Decision decision) => $"{decision.Reason} [decision {decision.Id}]";

    /// <summary>
    /// Why a rollback has nothing left to do (applied before a restart, or someone else moved the model meanwhile), or
    /// null while its from-version is still live: nothing is done twice.
    /// </summary>
    public static string? RollbackAlreadyDone(Decision decision, string? liveVersion) => liveVersion == decision.FromVersion
        ? null
        : $"no-op: version {decision.FromVersion} is no longer live (live: {liveVersion ?? "none"})";

    public static string RolledBack(LifecycleChange change) =>
        $"rolled back from {change.PreviousLiveVersion} to {change.LiveVersion}; version {change.PreviousLiveVersion} quarantined";

    /// <summary>The host command of a reload, queued under the decision's id so it is queued once.</summary>
    public static HostCommand ReloadCommand(Decision decision) =>
        new(decision.Id, DecisionAction.Reload.ToWire(), decision.Model, decision.FromVersion!, decision.Reason, decision.Time);

    public static string Reloaded(Decision decision, bool queued) =>
        queued ? $"reload queued for host {decision.Host}" : $"reload already queued for host {decision.Host}";

    public static string Placed(ModelRoute route) =>
        $"replicas: {ReplicaEndpoint.Describe(route.Replicas)} (route revision {route.Revision} pushed to every silo)";
}

using Fleet.Abstractions.Hosts;

namespace Fleet.Grains.Coordination;

/// <summary>
/// What the coordinator knows about one model when it applies the policy: the registry's live version and
/// last-known-good, how the live version's probes stand on each host that serves it (and the last-known-good's on
/// the same host, when loaded there), its recent answers, a confirmed quality drop on it, and the hosts (of the
/// <c>FreshHosts</c> reporting now that it is placed on, or that failed to load it) where it failed to load.
/// </summary>
public sealed record ModelEvidence(
    string Model,
    string LiveVersion,
    string? LastKnownGood,
    IReadOnlyList<HostEvidence> Hosts,
    ViolationEvidence? Violations,
    Fleet.Abstractions.Coordination.FleetSignal? QualityDrop,
    DateTimeOffset Now,
    IReadOnlyList<LoadFailureEvidence>? LoadFailures = null,
    int FreshHosts = 0);

/// <summary>The live version on one host: its verdict, failing checks and latest failure; the last-known-good's verdict there (null: not loaded).</summary>
public sealed record HostEvidence(
    string Host,
    ProbeVerdict Verdict,
    IReadOnlyList<string> Failing,
    string? Detail,
    int ConsecutiveFailures,
    int FailureThreshold,
    ProbeVerdict? FallbackVerdict);

/// <summary>The live version could not be loaded on <see cref="Host"/>: the error it reported.</summary>
public sealed record LoadFailureEvidence(string Host, string? Error);

/// <summary>The live version's answers in the window: served by it, and broken (answered by a fallback step instead, or 503), by step.</summary>
public sealed record ViolationEvidence(long Served, long Broken, IReadOnlyDictionary<string, long> BrokenByStep, TimeSpan Window)
{
    public long Attempts => Served + Broken;

    public double Rate => Attempts == 0 ? 0 : (double)Broken / Attempts;
}

/// <summary>What the policy proposes, before the safety rules (<see cref="DecisionSafety"/>) see it.</summary>
public sealed record ProposedDecision(
    Fleet.Abstractions.Coordination.DecisionAction Action,
    string Model,
    string? FromVersion,
    string? ToVersion,
    string? Host,
    string Reason,
    Fleet.Abstractions.Coordination.DecisionEvidence Evidence,
    Fleet.Abstractions.Coordination.DecisionAction? IntendedAction = null,
    Fleet.Abstractions.Routing.ReplicaEndpoint[]? Replicas = null);

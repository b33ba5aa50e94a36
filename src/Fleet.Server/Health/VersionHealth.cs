using System.Collections.Immutable;
using Fleet.Abstractions.Hosts;

namespace Fleet.Server.Health;

/// <summary>
/// How one loaded version's probes stand on this silo (immutable; the prober replaces it after each probe).
/// <see cref="Verdict"/>: failing when a hard check is failing; unknown until every hard check that ran has passed
/// once; passing otherwise. Latency and provider failures only degrade the host.
/// </summary>
internal sealed record VersionHealth(ImmutableDictionary<string, ProbeCounter> Checks, DateTimeOffset? LastProbe, double? LatencyMs, double? BaselineMs)
{
    public static VersionHealth New { get; } = new(ImmutableDictionary<string, ProbeCounter>.Empty, null, null, null);

    public ProbeVerdict Verdict
    {
        get
        {
            var hard = Checks.Where(c => ProbeChecks.IsHard(c.Key)).Select(c => c.Value.Verdict).ToArray();
            return hard.Contains(ProbeVerdict.Failing) ? ProbeVerdict.Failing
                : hard.Length == 0 || hard.Contains(ProbeVerdict.Unknown) ? ProbeVerdict.Unknown
                : ProbeVerdict.Passing;
        }
    }

    /// <summary>The checks that are failing, hard ones first, in a stable order.</summary>
    public string[] Failing => Checks.Where(c => c.Value.Verdict == ProbeVerdict.Failing)
        .OrderBy(c => ProbeChecks.IsHard(c.Key) ? 0 : 1).ThenBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => c.Key).ToArray();

    /// <summary>The latest failure of the first failing check, else of any check that failed last time; null when all pass.</summary>
    public string? Detail => Failing.Select(c => Checks[c].Detail).FirstOrDefault()
        ?? Checks.Where(c => c.Value.ConsecutiveFailures > 0).Select(c => c.Value.Detail).FirstOrDefault();

    public int ConsecutiveFailures => Checks.Values.Select(c => c.ConsecutiveFailures).DefaultIfEmpty(0).Max();

    public VersionHealth Apply(IEnumerable<ProbeResult> results, int failureThreshold, int recoveryThreshold, double? latencyMs, double? baselineMs, DateTimeOffset at)
    {
        var checks = Checks;
        foreach (var result in results)
        {
            var counter = checks.TryGetValue(result.Check, out var c) ? c : ProbeCounter.New;
            checks = checks.SetItem(result.Check, counter.Next(result.Passed, result.Detail, failureThreshold, recoveryThreshold));
        }

        return new VersionHealth(checks, at, latencyMs ?? LatencyMs, baselineMs ?? BaselineMs);
    }
}

using System.Globalization;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;

namespace Fleet.Grains.Coordination;

/// <summary>
/// The coordinator's policy for one model (pure; the safety rules come after, in <see cref="DecisionSafety"/>):
/// <list type="bullet">
/// <item>the live version fails its probes (golden, liveness or artifact) on every host that serves it → roll back to
/// the last-known-good and quarantine it (<c>golden_all_hosts</c>);</item>
/// <item>it fails on some hosts only → each of those hosts reloads it from the verified artifact (<c>golden_some_hosts</c>);</item>
/// <item>its broken-answer rate (output contract violations and run-time errors, each answered by the fallback chain)
/// is at least <see cref="CoordinatorOptions.ViolationRate"/> over at least <see cref="CoordinatorOptions.ViolationMinSamples"/>
/// answers → roll back (<c>output_violations</c>);</item>
/// <item>a confirmed quality drop (labels) on it → roll back (<c>quality_drop</c>, when <see cref="CoordinatorOptions.RollbackOnQualityDrop"/>);</item>
/// <item>it failed to load on every reporting host it is placed on and serves nowhere → roll back (<c>load_failed_all_hosts</c>): the
/// cluster is then answering with the previous version, which is no longer what the registry says is live.</item>
/// </list>
/// A rollback with no last-known-good, or whose last-known-good fails on the same hosts (then the hosts are broken,
/// not the version), becomes a <c>skipped</c> proposal that says so.
/// </summary>
public static class DecisionPolicy
{
    public const string GoldenAllHosts = "golden_all_hosts";
    public const string GoldenSomeHosts = "golden_some_hosts";
    public const string OutputViolations = "output_violations";
    public const string QualityDrop = "quality_drop";
    public const string LoadFailedAllHosts = "load_failed_all_hosts";

    public static IReadOnlyList<ProposedDecision> Propose(ModelEvidence e, CoordinatorOptions options)
    {
        if (e.Hosts.Count == 0 && e.LoadFailures is { Count: > 0 } failures && failures.Count >= e.FreshHosts)
        {
            var reason = $"version {e.LiveVersion} failed to load on all {failures.Count} host(s) ({failures[0].Host}: {failures[0].Error ?? "no error recorded"})";
            var evidence = new DecisionEvidence(LoadFailedAllHosts,
                new Dictionary<string, double> { ["hosts_reporting"] = e.FreshHosts, ["hosts_failed_to_load"] = failures.Count, ["hosts_serving"] = 0 },
                new Dictionary<string, double>(),
                [.. failures.Select(f => $"host {f.Host}: version {e.LiveVersion} failed to load: {f.Error}")], e.Now);
            return [Rollback(e, reason, evidence, brokenHosts: false)];
        }

        var failing = e.Hosts.Where(h => h.Verdict == ProbeVerdict.Failing).ToArray();
        if (failing.Length > 0 && failing.Length == e.Hosts.Count)
        {
            var checks = string.Join(", ", failing.SelectMany(h => h.Failing).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var reason = $"version {e.LiveVersion} fails its {checks} probe on all {failing.Length} host(s) that serve it ({failing[0].Host}: {failing[0].Detail})";
            var brokenHosts = failing.All(h => h.FallbackVerdict == ProbeVerdict.Failing);
            return [Rollback(e, reason, ProbeEvidence(e, GoldenAllHosts), brokenHosts)];
        }

        var proposals = new List<ProposedDecision>();
        foreach (var host in failing)
        {
            var checks = string.Join(", ", host.Failing);
            proposals.Add(new ProposedDecision(DecisionAction.Reload, e.Model, e.LiveVersion, e.LiveVersion, host.Host,
                $"version {e.LiveVersion} fails its {checks} probe on host {host.Host} only ({failing.Length} of {e.Hosts.Count} hosts): {host.Detail}; " +
                "that host reloads it from the verified artifact",
                ProbeEvidence(e, GoldenSomeHosts)));
        }

        if (e.Violations is { } v && v.Attempts >= options.ViolationMinSamples && v.Rate >= options.ViolationRate)
        {
            var reason = $"{v.Broken} of {v.Attempts} answers of version {e.LiveVersion} in the last {Minutes(v.Window)} broke its output contract or failed " +
                $"({v.Rate:P1} ≥ {options.ViolationRate:P1} over ≥ {options.ViolationMinSamples} answers)";
            proposals.Add(Rollback(e, reason, ViolationEvidence(e, v, options), brokenHosts: false));
        }
        else if (e.QualityDrop is { } drop && options.RollbackOnQualityDrop)
        {
            var evidence = new DecisionEvidence(QualityDrop, new Dictionary<string, double>(drop.Evidence), [],
                [$"{drop.Kind.ToWire()} on version {drop.Version} at {drop.At:O}: {drop.Reason}"], e.Now);
            proposals.Add(Rollback(e, $"confirmed quality drop on version {e.LiveVersion}: {drop.Reason}", evidence, brokenHosts: false));
        }

        return proposals;
    }

    private static ProposedDecision Rollback(ModelEvidence e, string reason, DecisionEvidence evidence, bool brokenHosts)
    {
        if (e.LastKnownGood is null)
        {
            return new ProposedDecision(DecisionAction.Skipped, e.Model, e.LiveVersion, null, null,
                $"{reason}; no rollback: there is no last-known-good version (no earlier live version that is not quarantined and has a golden set)", evidence, DecisionAction.Rollback);
        }

        if (brokenHosts)
        {
            return new ProposedDecision(DecisionAction.Skipped, e.Model, e.LiveVersion, e.LastKnownGood, null,
                $"{reason}; no rollback: the last-known-good version {e.LastKnownGood} fails its probes on the same hosts, so the hosts look broken, not the version",
                evidence, DecisionAction.Rollback);
        }

        return new ProposedDecision(DecisionAction.Rollback, e.Model, e.LiveVersion, e.LastKnownGood, null,
            $"{reason}; rolling back to the last-known-good version {e.LastKnownGood} and quarantining {e.LiveVersion}", evidence);
    }

    private static DecisionEvidence ProbeEvidence(ModelEvidence e, string trigger)
    {
        var failing = e.Hosts.Where(h => h.Verdict == ProbeVerdict.Failing).ToArray();
        var observed = new Dictionary<string, double>
        {
            ["hosts_serving"] = e.Hosts.Count,
            ["hosts_failing"] = failing.Length,
            ["consecutive_failures"] = failing.Length == 0 ? 0 : failing.Min(h => h.ConsecutiveFailures),
        };
        var thresholds = new Dictionary<string, double> { ["failure_threshold"] = e.Hosts.Count == 0 ? 0 : e.Hosts.Max(h => h.FailureThreshold) };
        var signals = e.Hosts.Select(h => h.Verdict == ProbeVerdict.Failing
            ? $"host {h.Host}: version {e.LiveVersion} {string.Join(", ", h.Failing)} failing for {h.ConsecutiveFailures} consecutive probes: {h.Detail}"
            : $"host {h.Host}: version {e.LiveVersion} {h.Verdict.ToString().ToLowerInvariant()}").ToArray();
        return new DecisionEvidence(trigger, observed, thresholds, signals, e.Now);
    }

    private static DecisionEvidence ViolationEvidence(ModelEvidence e, ViolationEvidence v, CoordinatorOptions options) => new(
        OutputViolations,
        new Dictionary<string, double>
        {
            ["violation_rate"] = Math.Round(v.Rate, 6),
            ["broken"] = v.Broken,
            ["served"] = v.Served,
            ["attempts"] = v.Attempts,
            ["window_seconds"] = v.Window.TotalSeconds,
        },
        new Dictionary<string, double>
        {
            ["violation_rate"] = options.ViolationRate,
            ["min_samples"] = options.ViolationMinSamples,
        },
        [$"version {e.LiveVersion} answers broken in the last {Minutes(v.Window)}, by the fallback step that answered instead: " +
            string.Join(", ", v.BrokenByStep.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))],
        e.Now);

    private static string Minutes(TimeSpan window) => window.TotalMinutes >= 1
        ? $"{window.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}

using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Grains.Alerting;
using Fleet.Statistics;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>The rules over serving statistics: confirmed shares fire, a healthy version's noise and client faults never do.</summary>
public sealed class ServingRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServingRuleOptions Options = new();

    internal static StatsSnapshot Snapshot(long served, long violations = 0, long runtime = 0, long badInput = 0, double latencyMs = 1, long slow = 0, double slowMs = 50)
    {
        var errors = new Dictionary<string, long>();
        if (violations > 0) errors[ErrorKinds.OutputViolation] = violations;
        if (runtime > 0) errors[ErrorKinds.RuntimeError] = runtime;
        if (badInput > 0) errors[ErrorKinds.BadInput] = badInput;
        var fallbacks = violations + runtime > 0 ? new Dictionary<string, long> { ["last-known-good"] = violations + runtime } : new Dictionary<string, long>();
        var latency = new DDSketch();
        if (served - slow > 0) latency.Add(latencyMs, served - slow);
        if (slow > 0) latency.Add(slowMs, slow);
        return StatsSnapshot.Empty(T0.AddMinutes(-5), T0) with { Requests = served, Errors = errors, Fallbacks = fallbacks, Latency = latency.ToData() };
    }

    private static ServingFinding Finding(SignalKind kind, StatsSnapshot live, StatsSnapshot? baseline = null, AlertSettings? overrides = null) =>
        ServingRules.Evaluate("2", live, baseline is null ? null : "1", baseline, Options, overrides).Single(f => f.Kind == kind);

    [Fact]
    public void A_version_whose_answers_break_fires_on_the_bound_with_its_numbers()
    {
        var finding = Finding(SignalKind.OutputViolationRate, Snapshot(served: 270, violations: 30));

        Assert.Equal(ServingVerdict.Holds, finding.Verdict);
        Assert.Equal((0.1, 30.0, 300.0), (finding.Evidence["rate"], finding.Evidence["count"], finding.Evidence["attempts"]));
        Assert.True(finding.Evidence["lower_bound"] is > 0.01 and < 0.1, $"lower bound {finding.Evidence["lower_bound"]}");
        Assert.StartsWith("30 of 300 answers of version 2 broke its output contract in the last 5 min: 10%, lower bound ", finding.Reason);
        Assert.EndsWith(" vs threshold 1%", finding.Reason);

        // The same broken answers are fallbacks too (a warning of their own), but no run-time error.
        Assert.Equal(ServingVerdict.Holds, Finding(SignalKind.FallbackRate, Snapshot(served: 270, violations: 30)).Verdict);
        Assert.Equal(ServingVerdict.Over, Finding(SignalKind.ModelErrorRate, Snapshot(served: 270, violations: 30)).Verdict);

        // The false-alarm budget's quantile widens the bound (z 20: the same 10 % is not yet confirmed); a looser one is ignored.
        var tightened = ServingRules.Evaluate("2", Snapshot(served: 270, violations: 30), null, null, Options, z: 20).Single(f => f.Kind == SignalKind.OutputViolationRate);
        Assert.Equal(ServingVerdict.Unknown, tightened.Verdict);
        Assert.Equal(ServingVerdict.Holds, ServingRules.Evaluate("2", Snapshot(served: 270, violations: 30), null, null, Options, z: 1).Single(f => f.Kind == SignalKind.OutputViolationRate).Verdict);
    }

    [Fact]
    public void A_healthy_version_s_noise_never_fires_and_a_rate_near_the_threshold_changes_nothing()
    {
        // 0.5 % on 10,000 answers: under the 1 % threshold, so the condition is over.
        Assert.Equal(ServingVerdict.Over, Finding(SignalKind.ModelErrorRate, Snapshot(served: 9950, runtime: 50)).Verdict);

        // 1.2 % on 1,000: above the threshold, but its lower bound is not: neither raised nor cleared.
        var near = Finding(SignalKind.ModelErrorRate, Snapshot(served: 988, runtime: 12));
        Assert.Equal(ServingVerdict.Unknown, near.Verdict);
        Assert.True(near.Evidence["lower_bound"] < 0.01);
    }

    [Fact]
    public void Client_faults_never_count_against_the_version()
    {
        // 1,000 bad inputs against 500 good answers: no attempt of the version failed.
        var live = Snapshot(served: 500, badInput: 1000);
        foreach (var finding in ServingRules.Evaluate("2", live, null, null, Options).Where(f => f.Kind != SignalKind.LatencyRegression))
        {
            Assert.Equal((ServingVerdict.Over, 0.0, 500.0), (finding.Verdict, finding.Evidence["rate"], finding.Evidence["attempts"]));
        }
    }

    [Fact]
    public void Below_the_minimum_samples_nothing_is_judged()
    {
        var finding = Finding(SignalKind.OutputViolationRate, Snapshot(served: 100, violations: 99));
        Assert.Equal((ServingVerdict.Unknown, "199 answers, fewer than the 200 a rate needs"), (finding.Verdict, finding.Reason));
    }

    [Fact]
    public void A_model_s_override_replaces_the_threshold()
    {
        var live = Snapshot(served: 900, runtime: 100);
        Assert.Equal(ServingVerdict.Holds, Finding(SignalKind.ModelErrorRate, live).Verdict);
        Assert.Equal(ServingVerdict.Over, Finding(SignalKind.ModelErrorRate, live, overrides: AlertSettings.Default with { ErrorRate = 0.2 }).Verdict);
    }

    [Fact]
    public void Latency_is_judged_against_the_previous_live_version_with_a_floor_above_its_p99()
    {
        var baseline = Snapshot(served: 1000, latencyMs: 2);

        // 5 % of requests at 50 ms against a threshold of max(2 × 2 ms, 2 ms + 10 ms) = 12 ms.
        var slow = Finding(SignalKind.LatencyRegression, Snapshot(served: 1000, latencyMs: 2, slow: 50), baseline);
        Assert.Equal(ServingVerdict.Holds, slow.Verdict);
        Assert.Equal((50.0, 0.05), (slow.Evidence["slow"], slow.Evidence["slow_share"]));
        Assert.Equal(12.0, slow.Evidence["threshold_ms"], 1);
        Assert.Contains("from version 1's p99 2", slow.Reason);

        // Three times slower but under the floor: sub-millisecond jitter is no regression.
        Assert.Equal(ServingVerdict.Over, Finding(SignalKind.LatencyRegression, Snapshot(served: 1000, latencyMs: 6), baseline).Verdict);

        // No previous version and no alert.latency_p99_ms: never judged against itself.
        var alone = Finding(SignalKind.LatencyRegression, Snapshot(served: 1000, latencyMs: 2, slow: 500));
        Assert.Equal(ServingVerdict.Unknown, alone.Verdict);
        Assert.StartsWith("no latency threshold", alone.Reason);

        // The model's own p99 threshold decides when it has one.
        var absolute = Finding(SignalKind.LatencyRegression, Snapshot(served: 1000, latencyMs: 3), overrides: AlertSettings.Default with { LatencyP99Ms = 2 });
        Assert.Equal((ServingVerdict.Holds, 1.0), (absolute.Verdict, absolute.Evidence["slow_share"]));
    }

    [Fact]
    public void The_watch_signals_a_condition_once_and_clears_it_once_or_when_its_version_leaves()
    {
        var active = new Dictionary<string, DateTimeOffset>();
        var broken = ServingRules.Evaluate("2", Snapshot(served: 270, violations: 30), null, null, Options);

        var raised = ServingWatch.Step(active, "churn", "2", broken, T0);
        Assert.Equal([SignalKind.OutputViolationRate, SignalKind.FallbackRate], raised.Select(s => s.Kind).ToArray());
        Assert.Equal((Severity.Critical, Severity.Warning), (raised[0].EffectiveSeverity, raised[1].EffectiveSeverity));
        Assert.Empty(ServingWatch.Step(active, "churn", "2", broken, T0.AddSeconds(5)));

        var healthy = ServingRules.Evaluate("2", Snapshot(served: 1000), null, null, Options);
        var cleared = ServingWatch.Step(active, "churn", "2", healthy, T0.AddSeconds(10));
        Assert.Equal([SignalKind.OutputViolationRateCleared, SignalKind.FallbackRateCleared], cleared.Select(s => s.Kind).ToArray());
        Assert.StartsWith("back under the threshold: 0 of 1000", cleared[0].Reason);
        Assert.Empty(active);

        ServingWatch.Step(active, "churn", "2", broken, T0.AddSeconds(15));
        Assert.Empty(ServingWatch.Retire(active, new Dictionary<string, string> { ["churn"] = "2" }, T0.AddSeconds(20)));
        var retired = ServingWatch.Retire(active, new Dictionary<string, string> { ["churn"] = "1" }, T0.AddSeconds(25));
        Assert.Equal(["version 2 is no longer live (1 is)", "version 2 is no longer live (1 is)"], retired.Select(s => s.Reason).ToArray());
        Assert.Equal([SignalKind.FallbackRateCleared, SignalKind.OutputViolationRateCleared], retired.Select(s => s.Kind).ToArray());
        Assert.Empty(active);
    }
}

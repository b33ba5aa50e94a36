using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>The fleet's false-alarm budget: Bonferroni over every look, the CUSUM's share first.</summary>
public sealed class AlarmBudgetsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_remaining_budget_is_split_over_every_look_and_the_serving_rules_run_at_their_share()
    {
        // Drift every 30 s: 2,880 runs a day, 5 looks each; serving every 15 s: 5,760 reads of 4 shares. 2 models.
        var models = new[] { new ModelLooks("a", MonitorSettings.Default, 200_000), new ModelLooks("b", MonitorSettings.Default, 0) };
        var lastDay = new[]
        {
            new FleetSignal(SignalKind.Drift, "a", "1", T0, "drift", []),
            new FleetSignal(SignalKind.OutputViolationRate, "a", "1", T0, "rate", []),
            new FleetSignal(SignalKind.ProbeFailed, "a", "1", T0, "not a detector alarm", []),
        };
        var plan = AlarmBudgets.Plan(1, models, new ServingRuleOptions(), lastDay, T0);

        // The CUSUM of a: 200,000 rows/day / ERT 2,000 = 100 expected: the budget is spent before any other look.
        Assert.Equal(100, plan.Report.Lines.Single(l => l.Model == "a" && l.Detector == "sequential").ExpectedPerDay);
        Assert.False(plan.Report.WithinBudget);
        Assert.Equal(0, plan.Report.PerLookLevel);

        // Without a's traffic: 1 / (2 × (5 × 2,880 + 4 × 5,760)) per look.
        models[0] = models[0] with { RowsPerDay = 0 };
        plan = AlarmBudgets.Plan(1, models, new ServingRuleOptions(), lastDay, T0);
        var level = 1.0 / (2 * ((5 * 2880) + (4 * 5760)));
        Assert.Equal(level, plan.Report.PerLookLevel, 12);
        var serving = plan.Report.Lines.Single(l => l.Model == "b" && l.Detector == "serving");
        Assert.Equal((23040.0, true), (serving.LooksPerDay, serving.Enforced));
        Assert.Equal(level, serving.Level, 12);
        Assert.Equal(AlarmBudgets.Quantile(level), plan.ServingZ, 9);
        Assert.True(plan.ServingZ > new ServingRuleOptions().Z);

        // The detectors not enforced yet run as configured and say what their share needs; the report counts them.
        var drift = plan.Report.Lines.Single(l => l.Model == "a" && l.Detector == "drift");
        Assert.Equal((5760.0, 0.05, 0.05, 288.0, false), (drift.LooksPerDay, drift.ConfiguredLevel, drift.Level, drift.ExpectedPerDay, drift.Enforced));
        Assert.Contains("its share of the budget needs a level <= ", drift.Note);
        Assert.False(plan.Report.WithinBudget);
        Assert.Equal((2, 1, 1), (plan.Report.ObservedLastDay, plan.Report.ObservedByKind["drift"], plan.Report.ObservedByKind["output_violation_rate"]));
    }

    [Fact]
    public void A_budget_of_zero_leaves_every_detector_as_configured()
    {
        var plan = AlarmBudgets.Plan(0, [new ModelLooks("a", MonitorSettings.Default, 0)], new ServingRuleOptions(), [], T0);
        Assert.Equal(new ServingRuleOptions().Z, plan.ServingZ);
        Assert.True(plan.Report.WithinBudget);
        Assert.All(plan.Report.Lines, l => Assert.Equal((l.ConfiguredLevel, false), (l.Level, l.Enforced)));
    }
}

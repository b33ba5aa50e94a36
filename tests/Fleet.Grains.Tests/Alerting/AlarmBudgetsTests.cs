using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>The fleet's false-alarm budget: Bonferroni over every look, the CUSUM's share first.</summary>
public sealed class AlarmBudgetsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_remaining_budget_is_split_over_every_look_and_every_detector_but_the_cusum_runs_at_its_share()
    {
        // Drift every 30 s (2,880 runs a day) on a 1,000-row window: a check counts once 334 rows are fresh.
        // Serving every 15 s: 5,760 reads of 4 shares. 2 models; b is idle.
        var models = new[] { new ModelLooks("a", MonitorSettings.Default, 200_000), new ModelLooks("b", MonitorSettings.Default, 0) };
        var lastDay = new[]
        {
            new FleetSignal(SignalKind.Drift, "a", "1", T0, "drift", []),
            new FleetSignal(SignalKind.OutputViolationRate, "a", "1", T0, "rate", []),
            new FleetSignal(SignalKind.ProbeFailed, "a", "1", T0, "not a detector alarm", []),
        };
        var plan = AlarmBudgets.Plan(1, models, new ServingRuleOptions(), lastDay, T0);

        // The CUSUM of a: 598.8 counted checks a day, 334 rows apart at ERT 2,000: p = 1 - e^(-0.167), p³ per check, 2.18 a day.
        // It takes at most half the budget, so the other detectors keep a usable level; the report is over budget and
        // names the ERT a's share (1/4 a day) needs.
        var cusum = plan.Report.Lines.Single(l => l.Model == "a" && l.Detector == "sequential");
        Assert.Equal((2.178491, false), (cusum.ExpectedPerDay, cusum.Enforced));
        Assert.Contains("needs drift_ert >= 4300 ", cusum.Note);
        Assert.Equal(0, plan.Report.Lines.Single(l => l.Model == "b" && l.Detector == "sequential").ExpectedPerDay);
        Assert.False(plan.Report.WithinBudget);
        Assert.Equal(Math.Pow(10, -5.1), plan.Report.PerLookLevel, 15); // 0.5 / (3 × 598.8 + 2 × 2 × 2,880 + 2 × 23,040) = 8.4e-6, down to the grid
        Assert.Equal(plan.Report.PerLookLevel, plan.PerLook);

        // At 10,000 rows a day: 29.9 counted checks, the CUSUM 0.109 a day; the rest, 0.891, over 57,690 looks, down to 10^-4.85.
        models[0] = models[0] with { RowsPerDay = 10_000 };
        plan = AlarmBudgets.Plan(1, models, new ServingRuleOptions(), lastDay, T0);
        var level = Math.Pow(10, -4.85);
        Assert.Equal(level, plan.Report.PerLookLevel, 15);
        Assert.Equal(level, plan.PerLook!.Value, 15);
        Assert.Equal(0.108925, plan.Report.Lines.Single(l => l.Model == "a" && l.Detector == "sequential").ExpectedPerDay);
        var serving = plan.Report.Lines.Single(l => l.Model == "b" && l.Detector == "serving");
        Assert.Equal((23040.0, true), (serving.LooksPerDay, serving.Enforced));
        Assert.Equal(level, serving.Level, 15);
        Assert.Equal(AlarmBudgets.Quantile(level), plan.ServingZ, 9);
        Assert.True(plan.ServingZ > new ServingRuleOptions().Z);

        // Drift, multivariate and quality are tightened to the same level; an idle model's drift checks spend nothing.
        var drift = plan.Report.Lines.Single(l => l.Model == "a" && l.Detector == "drift");
        Assert.Equal((59.88024, 0.05, true), (drift.LooksPerDay, drift.ConfiguredLevel, drift.Enforced));
        Assert.Equal(level, drift.Level, 15);
        Assert.Contains("tightened from 0.05 to the budget's 1.413e-5", drift.Note);
        Assert.Equal(0, plan.Report.Lines.Single(l => l.Model == "b" && l.Detector == "drift").LooksPerDay);
        Assert.Equal(5760, plan.Report.Lines.Single(l => l.Model == "b" && l.Detector == "quality").LooksPerDay);
        Assert.All(plan.Report.Lines.Where(l => l.Detector is "multivariate" or "quality"), l => Assert.Equal((level, true), (l.Level, l.Enforced)));
        Assert.Equal(0.923815, plan.Report.ExpectedPerDay, 5);
        Assert.True(plan.Report.WithinBudget);
        Assert.Equal((2, 1, 1), (plan.Report.ObservedLastDay, plan.Report.ObservedByKind["drift"], plan.Report.ObservedByKind["output_violation_rate"]));
    }

    [Theory]
    [InlineData(1.3355e-5, -4.9)]
    [InlineData(1e-5, -5.0)]
    [InlineData(0.05, -1.35)]
    public void The_level_is_rounded_down_to_a_grid_of_twenty_steps_a_decade(double level, double exponent)
    {
        Assert.Equal(Math.Pow(10, exponent), AlarmBudgets.Grid(level), 15);
        Assert.True(AlarmBudgets.Grid(level) <= level * (1 + 1e-9));
    }

    [Fact]
    public void A_budget_of_zero_leaves_every_detector_as_configured()
    {
        var plan = AlarmBudgets.Plan(0, [new ModelLooks("a", MonitorSettings.Default, 0)], new ServingRuleOptions(), [], T0);
        Assert.Equal(new ServingRuleOptions().Z, plan.ServingZ);
        Assert.True(plan.Report.WithinBudget);
        Assert.Null(plan.PerLook);
        Assert.All(plan.Report.Lines, l => Assert.Equal((l.ConfiguredLevel, false), (l.Level, l.Enforced)));
    }
}

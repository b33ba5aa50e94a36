using System.Globalization;
using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using MathNet.Numerics.Distributions;

namespace Fleet.Grains.Alerting;

/// <summary>One model as the budget sees it: its monitor settings and the rows it receives per day (from its statistics).</summary>
public sealed record ModelLooks(string Model, MonitorSettings Monitoring, double RowsPerDay);

/// <summary>A plan: the report and the quantile the serving rules run at.</summary>
public sealed record BudgetPlan(BudgetReport Report, double ServingZ);

/// <summary>
/// The fleet-level false-alarm budget (pure). Every statistical test a detector runs is a look; a look at level α raises
/// a false alarm with probability at most α when nothing is wrong, so over a day the expected number of false alarms
/// is at most Σ looks × α (linearity of expectation: true however the looks overlap or depend on each other). The plan
/// splits the budget <c>B</c> Bonferroni-style: the CUSUM (calibrated to an expected run length: rows per day ÷
/// <c>drift_ert</c> false alarms) takes its share first, and the rest is split evenly over every other look of every
/// model, <c>α* = R ÷ L</c>. Looks per day: drift runs every <c>drift_interval</c> (its univariate tests and the output
/// comparison are two looks per run, the multivariate band one, the labelled and label-free quality bounds two), and the
/// serving rules read four shares every <see cref="ServingRuleOptions.Interval"/>.
/// <para>Enforced today on the serving rules only (their quantile becomes <c>max(Z, z(α*))</c>); the drift, multivariate
/// and quality lines run at their configured levels and say which level their share needs.</para>
/// A budget of 0 turns the plan off.
/// </summary>
public static class AlarmBudgets
{
    public const string Method =
        "Bonferroni over looks: expected false alarms per day <= sum(looks x level); the CUSUM's share (rows/day / drift_ert) first, " +
        "the rest split evenly over every other look (per-look level = remaining budget / looks)";

    private const double Day = 86_400;

    /// <summary>The multivariate band's configured width (<see cref="Fleet.Monitoring.Multivariate.ReconstructionSettings.Sigmas"/>).</summary>
    public const double MultivariateSigmas = 3;

    /// <summary>The kinds counted as detector alarms in the observed column.</summary>
    public static readonly SignalKind[] AlarmKinds =
    [
        SignalKind.Drift, SignalKind.QualityDrop, SignalKind.EstimatedQualityDrop, SignalKind.OutputViolationRate,
        SignalKind.ModelErrorRate, SignalKind.FallbackRate, SignalKind.LatencyRegression,
    ];

    public static BudgetPlan Plan(double budgetPerDay, IReadOnlyList<ModelLooks> models, ServingRuleOptions serving,
        IEnumerable<FleetSignal> lastDay, DateTimeOffset now)
    {
        var on = budgetPerDay > 0;
        var servingLooks = 4 * Day / serving.Interval.TotalSeconds;
        var servingLevel = OneSided(serving.Z);
        var remaining = budgetPerDay - models.Sum(Sequential);
        var looks = models.Sum(m => (5 * Runs(m)) + servingLooks); // 2 drift + 1 multivariate + 2 quality per run
        var level = on && looks > 0 ? Math.Max(remaining, 0) / looks : double.NaN;

        var lines = new List<BudgetLine>();
        foreach (var m in models.OrderBy(m => m.Model, StringComparer.Ordinal))
        {
            var runs = Runs(m);
            lines.Add(Line(m.Model, "drift", 2 * runs, m.Monitoring.DriftAlpha, level, false, "univariate tests and the output comparison, per drift run"));
            lines.Add(Line(m.Model, "multivariate", runs, TwoSided(MultivariateSigmas), level, false, "PCA reconstruction band (3 sd), per drift run"));
            lines.Add(Line(m.Model, "quality", 2 * runs, OneSided(Fleet.Monitoring.Quality.QualityBounds.Z), level, false,
                "labelled and label-free (CBPE) bounds (z 3.09), per drift run"));
            lines.Add(Line(m.Model, "serving", servingLooks, servingLevel, level, true, "violation, error, fallback and latency shares, per serving read"));
            var ert = Math.Max(1, m.Monitoring.DriftErt);
            lines.Add(new BudgetLine(m.Model, "sequential", Round(m.RowsPerDay), 1.0 / ert, 1.0 / ert, Round(Sequential(m)), false,
                $"CUSUM calibrated to drift_ert={ert} rows between false alarms, at {m.RowsPerDay.ToString("0", CultureInfo.InvariantCulture)} rows/day"));
        }

        var expected = lines.Sum(l => l.ExpectedPerDay);
        var observed = lastDay.Where(s => AlarmKinds.Contains(s.Kind)).GroupBy(s => s.Kind.ToWire(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var servingZ = on && looks > 0 ? Math.Max(serving.Z, Quantile(Math.Min(servingLevel, level))) : serving.Z;
        var report = new BudgetReport(budgetPerDay, on ? level : 0, Round(expected), observed.Values.Sum(), !on || expected <= budgetPerDay * (1 + 1e-9),
            Method, [.. lines], observed, now);
        return new BudgetPlan(report, servingZ);
    }

    private static double Runs(ModelLooks m) => Day / Math.Max(1, m.Monitoring.DriftInterval.TotalSeconds);

    private static double Sequential(ModelLooks m) => m.RowsPerDay / Math.Max(1, m.Monitoring.DriftErt);

    private static BudgetLine Line(string model, string detector, double looks, double configured, double budgetLevel, bool enforce, string note)
    {
        var on = !double.IsNaN(budgetLevel);
        var level = on && enforce ? Math.Min(configured, budgetLevel) : configured;
        if (on && !enforce && configured > budgetLevel)
        {
            note += $"; its share of the budget needs a level <= {budgetLevel.ToString("0.###e+0", CultureInfo.InvariantCulture)} (not enforced on this detector yet)";
        }

        return new BudgetLine(model, detector, Round(looks), configured, level, Round(looks * level), on && enforce, note);
    }

    /// <summary>P(Z &gt; z) for a standard normal.</summary>
    public static double OneSided(double z) => 1 - Normal.CDF(0, 1, z);

    /// <summary>P(|Z| &gt; z).</summary>
    public static double TwoSided(double z) => 2 * OneSided(z);

    /// <summary>The z with P(Z &gt; z) = <paramref name="tail"/>.</summary>
    public static double Quantile(double tail) => Normal.InvCDF(0, 1, 1 - Math.Clamp(tail, 1e-15, 0.5));

    private static double Round(double value) => Math.Round(value, 6);
}

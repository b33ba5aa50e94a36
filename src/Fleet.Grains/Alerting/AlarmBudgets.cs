using System.Globalization;
using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Drift;
using MathNet.Numerics.Distributions;

namespace Fleet.Grains.Alerting;

/// <summary>One model as the budget sees it: its monitor settings and the rows it receives per day (from its statistics).</summary>
public sealed record ModelLooks(string Model, MonitorSettings Monitoring, double RowsPerDay);

/// <summary>
/// A plan: the report, the quantile the serving rules run at and the per-look level every model's drift, multivariate
/// and quality detectors are tightened to (null: the budget is off).
/// </summary>
public sealed record BudgetPlan(BudgetReport Report, double ServingZ, double? PerLook);

/// <summary>
/// The fleet-level false-alarm budget (pure). Every statistical test a detector runs is a look; a look at level α raises
/// a false alarm with probability at most α when nothing is wrong, so over a day the expected number of false alarms
/// is at most Σ looks × α (linearity of expectation: true however the looks overlap or depend on each other). The plan
/// splits the budget <c>B</c> Bonferroni-style: the CUSUM (calibrated to an expected run length, confirmed over 3
/// counted checks: see <see cref="Sequential"/>) takes its share first, at most half of <c>B</c>, and the rest <c>R</c>
/// is split evenly over every other look of every model, <c>α* = R ÷ L</c>. Looks per day: a drift or multivariate
/// alarm can only start on a counted check (a third of the window fresh, at most one per <c>drift_interval</c>: an idle
/// model spends nothing), where the univariate tests and the output comparison are two looks and the multivariate band
/// one; the labelled and label-free quality bounds are two looks per run; the serving rules read four shares every
/// <see cref="ServingRuleOptions.Interval"/>.
/// <para>Every line but the CUSUM is enforced: a detector runs at <c>min(configured, α*)</c> (the serving quantile
/// becomes <c>max(Z, z(α*))</c>, the multivariate band <c>max(3, z(α*/2))</c> sd, the quality bound's z
/// <c>max(3.09, z(α*))</c>; see <see cref="Fleet.Grains.Monitoring.DetectorLevels"/>). The CUSUM is not recalibrated
/// (that simulates paths as long as its run length): its line says which <c>drift_ert</c> its share needs, and a CUSUM
/// over half the budget leaves the report over budget rather than starving every other detector.</para>
/// A budget of 0 turns the plan off.
/// </summary>
public static class AlarmBudgets
{
    public const string Method =
        "Bonferroni over looks: expected false alarms per day <= sum(looks x level); the CUSUM's share (counted checks x p^3, p = 1 - exp(-rows per check / drift_ert), " +
        "at most half the budget) first, the rest split evenly over every other look (per-look level = remaining budget / looks); each detector runs at min(configured, per-look level)";

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
        // The CUSUM is not recalibrated to the budget; capping its share keeps the other detectors at a usable level.
        var remaining = budgetPerDay - Math.Min(models.Sum(Sequential), budgetPerDay / 2);
        var looks = models.Sum(m => (3 * Counted(m)) + (2 * Runs(m)) + servingLooks);
        var level = on && looks > 0 ? Grid(Math.Max(remaining, 0) / looks) : double.NaN;

        var lines = new List<BudgetLine>();
        foreach (var m in models.OrderBy(m => m.Model, StringComparer.Ordinal))
        {
            var runs = Runs(m);
            var counted = Counted(m);
            lines.Add(Line(m.Model, "drift", 2 * counted, m.Monitoring.DriftAlpha, level, "univariate tests and the output comparison, per counted drift check"));
            lines.Add(Line(m.Model, "multivariate", counted, TwoSided(MultivariateSigmas), level, "PCA reconstruction band (3 sd as configured), per counted drift check"));
            lines.Add(Line(m.Model, "quality", 2 * runs, OneSided(Fleet.Monitoring.Quality.QualityBounds.Z), level,
                "labelled and label-free (CBPE) bounds (z 3.09 as configured), per drift run"));
            lines.Add(Line(m.Model, "serving", servingLooks, servingLevel, level, "violation, error, fallback and latency shares, per serving read"));
            lines.Add(SequentialLine(m, budgetPerDay / (2 * models.Count)));
        }

        var expected = lines.Sum(l => l.ExpectedPerDay);
        var observed = lastDay.Where(s => AlarmKinds.Contains(s.Kind)).GroupBy(s => s.Kind.ToWire(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var servingZ = on && looks > 0 ? Math.Max(serving.Z, Quantile(Math.Min(servingLevel, level))) : serving.Z;
        var report = new BudgetReport(budgetPerDay, on ? level : 0, Round(expected), observed.Values.Sum(), !on || expected <= budgetPerDay * (1 + 1e-9),
            Method, [.. lines], observed, now);
        return new BudgetPlan(report, servingZ, on && looks > 0 ? level : null);
    }

    private static double Runs(ModelLooks m) => Day / Math.Max(1, m.Monitoring.DriftInterval.TotalSeconds);

    /// <summary>
    /// Drift checks that count per day: a check counts only once a third of the window arrived since the last counted
    /// one (<see cref="DriftConfirmation.FreshRowsPerCheck"/>), and only a counted check can start or confirm a drift.
    /// </summary>
    private static double Counted(ModelLooks m) =>
        Math.Min(Runs(m), m.RowsPerDay / DriftConfirmation.FreshRowsPerCheck(m.Monitoring.DriftWindow));

    /// <summary>
    /// The CUSUM's expected confirmed false alarms per day. It alarms on a stationary stream about once per
    /// <c>drift_ert</c> rows and restarts after each alarm, so the chance that the <c>L</c> rows between two counted
    /// checks hold an alarm is <c>p = 1 − e^(−L/ERT)</c> (run lengths near geometric), and a drift is confirmed after 3
    /// counted checks in a row with an alarm: about <c>p³</c> per counted check. An approximation, said so in its line.
    /// </summary>
    private static double Sequential(ModelLooks m)
    {
        var counted = Counted(m);
        return counted > 0 ? counted * Math.Pow(AlarmBetweenChecks(m, m.RowsPerDay / counted, m.Monitoring.DriftErt), DriftConfirmation.Checks) : 0;
    }

    private static double AlarmBetweenChecks(ModelLooks m, double rows, double ert) => 1 - Math.Exp(-rows / Math.Max(1, ert));

    private static BudgetLine Line(string model, string detector, double looks, double configured, double budgetLevel, string note)
    {
        var on = !double.IsNaN(budgetLevel);
        var level = on ? Math.Min(configured, budgetLevel) : configured;
        if (on && configured > budgetLevel)
        {
            note += $"; tightened from {Sci(configured)} to the budget's {Sci(level)}";
        }

        return new BudgetLine(model, detector, Round(looks), configured, level, Round(looks * level), on, note);
    }

    /// <summary>The CUSUM's line: as calibrated; over its share (half the budget split over the models) it names the drift_ert that share needs.</summary>
    private static BudgetLine SequentialLine(ModelLooks m, double share)
    {
        var ert = Math.Max(1, m.Monitoring.DriftErt);
        var counted = Counted(m);
        var expected = Sequential(m);
        var note = FormattableString.Invariant(
            $"CUSUM calibrated to drift_ert={ert} rows between raw alarms, at {m.RowsPerDay:0} rows/day; confirmed over {DriftConfirmation.Checks} counted checks in a row ({counted:0.#}/day), so about {Sci(expected)}/day (approximation: near-geometric run lengths)");
        if (share > 0 && expected > share)
        {
            // The ERT whose p per counted check gives the share: counted × p³ = share.
            var p = Math.Pow(share / counted, 1.0 / DriftConfirmation.Checks);
            var needed = -(m.RowsPerDay / counted) / Math.Log(1 - p);
            note += FormattableString.Invariant(
                $"; its share of the budget ({Sci(share)}/day) needs drift_ert >= {Math.Ceiling(needed):0} (fleet config set MODEL drift_ert=N, up to 1000000; not set by the budget: recalibrating simulates paths that long)");
        }

        return new BudgetLine(m.Model, "sequential", Round(m.RowsPerDay), 1.0 / ert, 1.0 / ert, Round(expected), false, note);
    }

    /// <summary>A level as text: 0.05, 0.0027, 1.259e-5.</summary>
    public static string Sci(double value) =>
        value.ToString(value >= 1e-3 || value == 0 ? "0.####" : "0.###e+0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Rounds a level down to the grid 10^(k/20) (steps of about 12 %): the level never exceeds its share, and traffic
    /// that wobbles from one read to the next does not change what the detectors run at.
    /// </summary>
    public static double Grid(double level) => level > 0 ? Math.Pow(10, Math.Floor((20 * Math.Log10(level)) + 1e-9) / 20) : 0;

    /// <summary>P(Z &gt; z) for a standard normal.</summary>
    public static double OneSided(double z) => 1 - Normal.CDF(0, 1, z);

    /// <summary>P(|Z| &gt; z).</summary>
    public static double TwoSided(double z) => 2 * OneSided(z);

    /// <summary>The z with P(Z &gt; z) = <paramref name="tail"/>.</summary>
    public static double Quantile(double tail) => Normal.InvCDF(0, 1, 1 - Math.Clamp(tail, 1e-15, 0.5));

    private static double Round(double value) => Math.Round(value, 6);
}

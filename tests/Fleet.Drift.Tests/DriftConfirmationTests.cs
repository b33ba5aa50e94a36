namespace Fleet.Drift.Tests;

public sealed class DriftConfirmationTests
{
    private static readonly DriftSettings Settings = new() { OutputFeatureName = "__output__" };

    private static DriftReport Raw(bool outputFires, bool inputFires)
    {
        FeatureDrift Feature(string name, bool fires) =>
            new(name, FeatureKind.Numeric, "ks", 0.3, fires ? 1e-6 : 0.6, fires ? 1e-6 : 0.6, "wasserstein", fires ? 0.4 : 0.02, 0.1,
                fires ? DriftVerdict.Drift : DriftVerdict.NoDrift, 500, 300);
        FeatureDrift[] features = [Feature("x", inputFires), Feature("__output__", outputFires)];
        var (overall, reason, share, reasons) = DriftAnalyzer.Summarise(features, Settings);
        return new DriftReport(overall, reason, share, 500, 300, features) { Reasons = reasons };
    }

    [Fact]
    public void A_drift_is_suspected_until_three_counted_checks_in_a_row_fire_then_confirmed()
    {
        var state = new ConfirmationState();
        var first = DriftConfirmation.Apply(Raw(true, false), state, 300, 300, Settings);
        Assert.Equal(DriftVerdict.Warning, first.Overall);
        Assert.Equal((DriftVerdict.Suspected, "1 of 3 checks"), (first.Features[1].Verdict, first.Features[1].Confirmation));
        Assert.StartsWith("drift suspected, not confirmed: __output__ (ks p=1e-6, wasserstein 0.4, 1 of 3 checks)", first.Reason);

        // 99 new rows: fewer than window / 3, so this check does not count.
        var early = DriftConfirmation.Apply(Raw(true, false), state, 399, 300, Settings);
        Assert.Equal("1 of 3 checks, this check not counted: too few new rows", early.Features[1].Confirmation);

        Assert.Equal(DriftVerdict.Warning, DriftConfirmation.Apply(Raw(true, false), state, 400, 300, Settings).Overall);
        var third = DriftConfirmation.Apply(Raw(true, false), state, 500, 300, Settings);
        Assert.Equal(DriftVerdict.Drift, third.Overall);
        Assert.Equal("confirmed", third.Features[1].Confirmation);
        Assert.EndsWith("(confirmed on 3 checks in a row)", third.Reason);
    }

    [Fact]
    public void A_confirmed_drift_clears_only_after_three_clean_counted_checks_and_one_clean_check_resets_a_suspicion()
    {
        var state = new ConfirmationState();
        for (var total = 100; total <= 300; total += 100)
            DriftConfirmation.Apply(Raw(true, false), state, total, 300, Settings);

        var clean1 = DriftConfirmation.Apply(Raw(false, false), state, 400, 300, Settings);
        Assert.Equal((DriftVerdict.Drift, "confirmed; 1 of 3 checks without drift to clear"), (clean1.Overall, clean1.Features[1].Confirmation));
        DriftConfirmation.Apply(Raw(false, false), state, 500, 300, Settings);
        Assert.Equal(DriftVerdict.NoDrift, DriftConfirmation.Apply(Raw(false, false), state, 600, 300, Settings).Overall);

        // Two fires, a clean check, a fire: the run starts again.
        DriftConfirmation.Apply(Raw(true, false), state, 700, 300, Settings);
        DriftConfirmation.Apply(Raw(true, false), state, 800, 300, Settings);
        DriftConfirmation.Apply(Raw(false, false), state, 900, 300, Settings);
        var again = DriftConfirmation.Apply(Raw(true, false), state, 1000, 300, Settings);
        Assert.Equal((DriftVerdict.Warning, "1 of 3 checks"), (again.Overall, again.Features[1].Confirmation));
    }

    [Fact]
    public void An_input_that_fires_alone_makes_the_overall_verdict_a_warning_never_milder()
    {
        var state = new ConfirmationState();
        var report = DriftConfirmation.Apply(Raw(false, true), state, 300, 300, Settings);
        Assert.Equal(DriftVerdict.Warning, report.Overall);
        Assert.Equal("warning", report.Overall.ToWire());
        Assert.Contains("x (ks p=1e-6, wasserstein 0.4, 1 of 3 checks)", report.Reason);
        Assert.Equal(DriftVerdict.NoDrift, DriftConfirmation.Apply(Raw(false, false), new ConfirmationState(), 300, 300, Settings).Overall);
    }

    [Fact]
    public void A_detector_alarm_is_a_warning_until_confirmed_on_three_counted_checks_and_an_alarm_between_counted_checks_is_kept()
    {
        var state = new ConfirmationState();
        DetectorCheck[] Alarm(bool fired) => [new DetectorCheck("sequential", fired, fired ? "CUSUM alarm on x" : "CUSUM statistic 1")];
        var first = DriftConfirmation.Apply(Raw(false, false), state, 300, 300, Settings, Alarm(true));
        Assert.Equal(DriftVerdict.Warning, first.Overall);
        Assert.Equal(["sequential fired, not confirmed: CUSUM alarm on x (1 of 3 checks)"], first.Reasons);

        // An alarm on a check that does not count (too few new rows) is carried to the next counted one.
        DriftConfirmation.Apply(Raw(false, false), state, 350, 300, Settings, Alarm(true));
        var second = DriftConfirmation.Apply(Raw(false, false), state, 400, 300, Settings, Alarm(false));
        Assert.Equal(["sequential fired, not confirmed: CUSUM statistic 1 (2 of 3 checks)"], second.Reasons);
        var third = DriftConfirmation.Apply(Raw(false, false), state, 500, 300, Settings, Alarm(true));
        Assert.Equal(DriftVerdict.Drift, third.Overall);
        Assert.Equal(["sequential: CUSUM alarm on x (confirmed on 3 checks in a row)"], third.Reasons); // no subjects named: no window test to agree

        var calm = DriftConfirmation.Apply(Raw(false, false), state, 600, 300, Settings, Alarm(false));
        Assert.Equal((DriftVerdict.Drift, "sequential: confirmed; 1 of 3 checks without an alarm to clear (CUSUM statistic 1)"), (calm.Overall, calm.Reason));
        DriftConfirmation.Apply(Raw(false, false), state, 700, 300, Settings, Alarm(false));
        var cleared = DriftConfirmation.Apply(Raw(false, false), state, 800, 300, Settings, Alarm(false));
        Assert.Equal((DriftVerdict.NoDrift, 0), (cleared.Overall, cleared.Reasons.Length));
    }

    [Fact]
    public void Every_component_that_fired_is_listed_drift_first_and_a_confirmed_output_with_a_suspected_detector_is_drift()
    {
        var state = new ConfirmationState();
        DetectorCheck[] detectors = [new DetectorCheck("multivariate", true, "PCA reconstruction error 3 outside [0.9, 1.1]")];
        DriftReport report = null!;
        for (var total = 300; total <= 500; total += 100)
            report = DriftConfirmation.Apply(Raw(true, false), state, total, 300, Settings, total == 500 ? detectors : []);

        Assert.Equal(DriftVerdict.Drift, report.Overall);
        Assert.Equal([
            "output drifted (ks p=1e-6, wasserstein 0.4) (confirmed on 3 checks in a row)",
            "multivariate fired, not confirmed: PCA reconstruction error 3 outside [0.9, 1.1] (1 of 3 checks)",
        ], report.Reasons);
        Assert.Equal(string.Join("; ", report.Reasons), report.Reason);
    }

    [Fact]
    public void A_detector_that_names_its_columns_is_confirmed_only_when_the_same_column_alarms_on_every_check()
    {
        var state = new ConfirmationState();
        DetectorCheck[] On(params string[] columns) => [new DetectorCheck("sequential", true, "CUSUM alarm") { Subjects = columns }];
        DriftConfirmation.Apply(Raw(false, false), state, 300, 300, Settings, On("a"));
        DriftConfirmation.Apply(Raw(false, false), state, 400, 300, Settings, On("b"));
        // False alarms wander between columns: a, then b, then b: the run restarted at b.
        var third = DriftConfirmation.Apply(Raw(false, false), state, 500, 300, Settings, On("b", "c"));
        Assert.Equal(DriftVerdict.Warning, third.Overall);
        Assert.Equal("sequential fired, not confirmed: CUSUM alarm (2 of 3 checks)", third.Reason);
        var fourth = DriftConfirmation.Apply(Raw(false, false), state, 600, 300, Settings, On("b"));
        // Three alarms on b, but b's window test did not fire: a warning, not a drift.
        Assert.Equal(DriftVerdict.Warning, fourth.Overall);
        Assert.Equal("sequential: CUSUM alarm (alarmed on b on 3 checks in a row; not corroborated: the window test of b did not fire)", fourth.Reason);
    }

    [Fact]
    public void A_confirmed_detector_alarm_that_the_window_test_of_its_column_corroborates_is_drift()
    {
        var state = new ConfirmationState();
        DetectorCheck[] On(string column) => [new DetectorCheck("sequential", true, "CUSUM alarm") { Subjects = [column] }];
        DriftReport report = null!;
        for (var total = 300; total <= 500; total += 100)
            report = DriftConfirmation.Apply(Raw(false, true), state, total, 300, Settings, On("x"));

        // x's window test fired on each check (confirmed on the third), and the CUSUM named x on each: drift from both.
        Assert.Equal(DriftVerdict.Drift, report.Overall);
        Assert.Contains("sequential: CUSUM alarm (confirmed on x on 3 checks in a row, and by the window test)", report.Reasons);
    }

    [Fact]
    public void Alarms_carried_from_uncounted_checks_keep_their_columns_so_an_uncorroborated_run_stays_a_warning()
    {
        // Seen on clean traffic: each alarm lands between counted checks and the counted check itself is calm.
        // The carried alarms named symmetry_error; the run must need that column's window test, not skip it.
        var state = new ConfirmationState();
        DetectorCheck[] Check(bool fired) =>
            [new DetectorCheck("sequential", fired, fired ? "CUSUM alarm" : "CUSUM statistic 1") { Subjects = fired ? ["symmetry_error"] : [] }];
        DriftReport report = null!;
        DriftConfirmation.Apply(Raw(false, false), state, 100, 300, Settings, Check(false)); // counted, calm
        for (var total = 200; total <= 400; total += 100)
        {
            DriftConfirmation.Apply(Raw(false, false), state, total - 60, 300, Settings, Check(true)); // not counted: 40 new rows
            report = DriftConfirmation.Apply(Raw(false, false), state, total, 300, Settings, Check(false)); // counted, carries the alarm
        }

        Assert.Equal(DriftVerdict.Warning, report.Overall);
        Assert.Equal("sequential: CUSUM statistic 1 (alarmed on symmetry_error on 3 checks in a row; not corroborated: the window test of symmetry_error did not fire)", report.Reason);
    }
}

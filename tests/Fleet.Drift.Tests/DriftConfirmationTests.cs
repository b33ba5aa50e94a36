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
        var (overall, reason, share) = DriftAnalyzer.Summarise(features, Settings);
        return new DriftReport(overall, reason, share, 500, 300, features);
    }

    [Fact]
    public void A_drift_is_suspected_until_three_counted_checks_in_a_row_fire_then_confirmed()
    {
        var state = new ConfirmationState();
        var first = DriftConfirmation.Apply(Raw(true, false), state, 300, 300, Settings);
        Assert.Equal(DriftVerdict.Suspected, first.Overall);
        Assert.Equal((DriftVerdict.Suspected, "1 of 3 checks"), (first.Features[1].Verdict, first.Features[1].Confirmation));
        Assert.StartsWith("drift suspected, not confirmed: __output__ (ks p=1e-6, wasserstein 0.4, 1 of 3 checks)", first.Reason);

        // 99 new rows: fewer than window / 3, so this check does not count.
        var early = DriftConfirmation.Apply(Raw(true, false), state, 399, 300, Settings);
        Assert.Equal("1 of 3 checks, this check not counted: too few new rows", early.Features[1].Confirmation);

        Assert.Equal(DriftVerdict.Suspected, DriftConfirmation.Apply(Raw(true, false), state, 400, 300, Settings).Overall);
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
        Assert.Equal((DriftVerdict.Suspected, "1 of 3 checks"), (again.Overall, again.Features[1].Confirmation));
    }

    [Fact]
    public void An_input_that_fires_alone_makes_the_overall_verdict_suspected_never_milder()
    {
        var state = new ConfirmationState();
        var report = DriftConfirmation.Apply(Raw(false, true), state, 300, 300, Settings);
        Assert.Equal(DriftVerdict.Suspected, report.Overall);
        Assert.Equal("suspected", report.Overall.ToWire());
        Assert.Contains("x (ks p=1e-6, wasserstein 0.4, 1 of 3 checks)", report.Reason);
        Assert.Equal(DriftVerdict.NoDrift, DriftConfirmation.Apply(Raw(false, false), new ConfirmationState(), 300, 300, Settings).Overall);
    }
}

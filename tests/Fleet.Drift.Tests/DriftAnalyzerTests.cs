namespace Fleet.Drift.Tests;

/// <summary>The verdict rules of <see cref="DriftAnalyzer"/> on seeded data with known shifts.</summary>
public sealed class DriftAnalyzerTests
{
    private static readonly DriftSettings Defaults = new();

    [Fact]
    public void A_one_sigma_shift_on_one_numeric_feature_is_detected_and_the_others_are_not()
    {
        var (references, current) = NumericWindow(features: 5, referenceRows: 2_000, currentRows: 1_000, shifts: new() { [2] = 1.0 });

        var report = DriftAnalyzer.Analyze(references, current, Defaults);

        Assert.Equal(
            [DriftVerdict.NoDrift, DriftVerdict.NoDrift, DriftVerdict.Drift, DriftVerdict.NoDrift, DriftVerdict.NoDrift],
            report.Features.Select(f => f.Verdict));
        var shifted = report.Features[2];
        Assert.True(shifted.AdjustedPValue < 1e-100, $"adjusted p {shifted.AdjustedPValue}");
        Assert.InRange(shifted.EffectSize, 0.9, 1.1);
        Assert.True(shifted.Psi > 0.25, $"psi {shifted.Psi}");
        // One feature, but a one-sigma shift is a large effect (at least 5x the 0.1 threshold): drift on its own.
        Assert.Equal(DriftVerdict.Drift, report.Overall);
        var reason = Assert.Single(report.Reasons);
        Assert.StartsWith("feature 'f2' drifted with a large effect (ks p=", reason);
        Assert.EndsWith(FormattableString.Invariant($", wasserstein {shifted.EffectSize:0.##}, at least 5x the 0.1 threshold)"), reason);
        Assert.Equal(reason, report.Reason);
        Assert.Equal(0.2, report.DriftedShare);
        Assert.Equal((2_000, 1_000), (report.ReferenceCount, report.CurrentCount));
    }

    [Fact]
    public void A_small_shift_on_one_feature_of_five_is_a_warning_that_names_it()
    {
        var (references, current) = NumericWindow(features: 5, referenceRows: 2_000, currentRows: 1_000, shifts: new() { [3] = 0.3 });

        var report = DriftAnalyzer.Analyze(references, current, Defaults);

        Assert.Equal(DriftVerdict.Drift, report.Features[3].Verdict);
        Assert.InRange(report.Features[3].EffectSize, 0.1, 0.5);
        Assert.Equal(DriftVerdict.Warning, report.Overall);
        Assert.Equal(["1 of 5 features drifted (20%): f3, below the 50% share and none with a large effect"], report.Reasons);
    }

    [Fact]
    public void Identical_distributions_give_no_drift()
    {
        var (references, current) = NumericWindow(features: 8, referenceRows: 5_000, currentRows: 5_000, shifts: []);

        var report = DriftAnalyzer.Analyze(references, current, Defaults);

        Assert.All(report.Features, f => Assert.Equal(DriftVerdict.NoDrift, f.Verdict));
        Assert.All(report.Features, f => Assert.InRange(f.EffectSize, 0, 0.1));
        Assert.Equal(DriftVerdict.NoDrift, report.Overall);
        Assert.Equal("0 of 8 features drifted (0%), below the 50% share", report.Reason);
    }

    [Fact]
    public void A_tiny_shift_in_a_huge_window_is_significant_but_below_the_effect_threshold()
    {
        var reference = FeatureReference.Create("x", FeatureKind.Numeric, Columns.Normal(1, 200_000));
        var current = Columns.Normal(2, 200_000, mean: 0.05);

        var feature = Assert.Single(DriftAnalyzer.Analyze([reference], [current], Defaults).Features);

        Assert.True(feature.AdjustedPValue < 1e-20, $"adjusted p {feature.AdjustedPValue}");
        Assert.InRange(feature.EffectSize, 0.03, 0.07);
        Assert.Equal(DriftVerdict.NoDrift, feature.Verdict);
    }

    [Fact]
    public void Fewer_than_min_samples_on_either_side_is_insufficient_data_with_NaN_numbers()
    {
        var enough = FeatureReference.Create("enough-reference", FeatureKind.Numeric, Columns.Normal(1, 500));
        var few = FeatureReference.Create("few-reference", FeatureKind.Numeric, Columns.Normal(2, 99));
        var withMissing = Columns.Normal(3, 150);
        withMissing.AsSpan(0, 51).Fill(double.NaN); // 99 values left

        var report = DriftAnalyzer.Analyze([enough, few], [withMissing, Columns.Normal(4, 500)], Defaults);

        Assert.All(report.Features, f => Assert.Equal(DriftVerdict.InsufficientData, f.Verdict));
        Assert.Equal((500, 99), (report.Features[0].ReferenceCount, report.Features[0].CurrentCount));
        Assert.Equal((99, 500), (report.Features[1].ReferenceCount, report.Features[1].CurrentCount));
        Assert.All(report.Features, f => Assert.True(double.IsNaN(f.Statistic) && double.IsNaN(f.PValue) && double.IsNaN(f.AdjustedPValue) && double.IsNaN(f.EffectSize) && double.IsNaN(f.Psi)));
        Assert.Equal(DriftVerdict.InsufficientData, report.Overall);
        Assert.Equal("no feature has 100 values on both sides", report.Reason);
        Assert.Equal(0, report.DriftedShare);
    }

    [Fact]
    public void Output_drift_makes_the_window_drift_even_when_no_input_drifts()
    {
        var (references, current) = NumericWindow(features: 10, referenceRows: 3_000, currentRows: 3_000, shifts: []);
        var output = FeatureReference.Create("__output__", FeatureKind.Numeric, Columns.Normal(100, 3_000));

        var report = DriftAnalyzer.Analyze([.. references, output], [.. current, Columns.Normal(101, 3_000, mean: 0.5)], Defaults);

        Assert.Equal(DriftVerdict.Drift, report.Features[^1].Verdict);
        Assert.All(report.Features[..^1], f => Assert.Equal(DriftVerdict.NoDrift, f.Verdict));
        Assert.Equal(DriftVerdict.Drift, report.Overall);
        Assert.StartsWith("output drifted (ks p=", report.Reason);
        Assert.Equal(report.Reason, Assert.Single(report.Reasons));
        Assert.Equal(0, report.DriftedShare);
    }

    [Fact]
    public void An_output_without_enough_data_makes_the_window_insufficient_unless_inputs_drift()
    {
        var (references, current) = NumericWindow(features: 2, referenceRows: 1_000, currentRows: 1_000, shifts: new() { [0] = 2.0, [1] = 2.0 });
        var output = FeatureReference.Create("__output__", FeatureKind.Categorical, Columns.Categories(7, 1_000, 0.5, 0.5));

        var report = DriftAnalyzer.Analyze([output, .. references], [Columns.Categories(8, 40, 0.5, 0.5), .. current], Defaults);

        Assert.Equal([DriftVerdict.InsufficientData, DriftVerdict.Drift, DriftVerdict.Drift], report.Features.Select(f => f.Verdict));
        // Too few predictions to judge the output does not hide inputs that drifted.
        Assert.Equal(DriftVerdict.Drift, report.Overall);
        Assert.StartsWith("2 of 2 features drifted (100%): f0, f1, at or above the 50% share", report.Reason);

        var (_, steady) = NumericWindow(features: 2, referenceRows: 1_000, currentRows: 1_000, shifts: []);
        var quiet = DriftAnalyzer.Analyze([output, .. references], [Columns.Categories(8, 40, 0.5, 0.5), .. steady], Defaults);
        Assert.Equal(DriftVerdict.InsufficientData, quiet.Overall);
        Assert.Equal("output has 1000 reference and 40 current values, below the minimum of 100", quiet.Reason);
    }

    [Fact]
    public void The_window_drifts_when_the_drifted_share_of_inputs_reaches_the_drift_share()
    {
        var (references, current) = NumericWindow(features: 5, referenceRows: 1_000, currentRows: 1_000, shifts: new() { [0] = 1.0, [1] = -1.0, [4] = 0.8 });

        var report = DriftAnalyzer.Analyze(references, current, Defaults);

        Assert.Equal(DriftVerdict.Drift, report.Overall);
        Assert.Equal("3 of 5 features drifted (60%): f0, f1, f4, at or above the 50% share", report.Reasons[0]);
        // Each shift is also a large effect on its own, and every rule that fired is listed.
        Assert.Equal(["f0", "f1", "f4"], report.Reasons[1..].Select(r => r.Split('\'')[1]));
        Assert.Equal(0.6, report.DriftedShare);
    }

    [Fact]
    public void A_categorical_shift_is_tested_with_chi_square_and_measured_with_jensen_shannon()
    {
        var stable = FeatureReference.Create("stable", FeatureKind.Categorical, Columns.Categories(1, 4_000, 0.6, 0.3, 0.1));
        var shifted = FeatureReference.Create("shifted", FeatureKind.Categorical, Columns.Categories(2, 4_000, 0.6, 0.3, 0.1));

        var report = DriftAnalyzer.Analyze(
            [stable, shifted],
            [Columns.Categories(3, 2_000, 0.6, 0.3, 0.1), Columns.Categories(4, 2_000, 0.3, 0.3, 0.4)],
            Defaults);

        Assert.Equal([DriftVerdict.NoDrift, DriftVerdict.Drift], report.Features.Select(f => f.Verdict));
        Assert.All(report.Features, f => Assert.Equal(("chi2", "jensen_shannon"), (f.Test, f.EffectMeasure)));
        Assert.True(report.Features[1].EffectSize > 0.1, $"jensen-shannon {report.Features[1].EffectSize}");
        Assert.Equal(DriftVerdict.Drift, report.Overall);
    }

    [Fact]
    public void Missing_values_are_ignored_on_both_sides()
    {
        var values = Columns.Normal(5, 1_000);
        var withGaps = values.Select((v, i) => i % 4 == 0 ? double.NaN : v).ToArray();
        var reference = FeatureReference.Create("x", FeatureKind.Numeric, withGaps);

        var gapped = DriftAnalyzer.Analyze([reference], [withGaps], Defaults);
        var clean = values.Where((_, i) => i % 4 != 0).ToArray();
        var expected = DriftAnalyzer.Analyze([FeatureReference.Create("x", FeatureKind.Numeric, clean)], [clean], Defaults);

        Assert.Equal(750, reference.Count);
        Assert.Equal(expected.Features, gapped.Features);
        Assert.Equal((0.0, 1.0), (gapped.Features[0].Statistic, gapped.Features[0].PValue));
        Assert.Equal((1_000, 1_000), (gapped.ReferenceCount, gapped.CurrentCount));
    }

    [Fact]
    public void The_correction_is_applied_across_features_with_enough_data_only()
    {
        var (references, current) = NumericWindow(features: 3, referenceRows: 500, currentRows: 500, shifts: []);
        current[1] = current[1][..50];

        var none = DriftAnalyzer.Analyze(references, current, Defaults with { Correction = PValueCorrection.None });
        var bonferroni = DriftAnalyzer.Analyze(references, current, Defaults with { Correction = PValueCorrection.Bonferroni });

        Assert.True(double.IsNaN(bonferroni.Features[1].AdjustedPValue));
        Assert.Equal(Math.Min(1, none.Features[0].PValue * 2), bonferroni.Features[0].AdjustedPValue);
        Assert.Equal(Math.Min(1, none.Features[2].PValue * 2), bonferroni.Features[2].AdjustedPValue);
        Assert.Equal("0 of 2 features drifted (0%) (1 more without enough data), below the 50% share", bonferroni.Reason);
    }

    [Fact]
    public void Mismatched_inputs_and_invalid_settings_are_rejected()
    {
        var reference = FeatureReference.Create("x", FeatureKind.Numeric, Columns.Normal(1, 200));

        Assert.Throws<ArgumentException>(() => DriftAnalyzer.Analyze([reference], [], Defaults));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftAnalyzer.Analyze([reference], [Columns.Normal(2, 200)], Defaults with { Alpha = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftAnalyzer.Analyze([reference], [Columns.Normal(2, 200)], Defaults with { MinSamples = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftAnalyzer.Analyze([reference], [Columns.Normal(2, 200)], Defaults with { DriftShare = 1.5 }));
    }

    // Standard normal features; current feature i is shifted by shifts[i] standard deviations.
    private static (FeatureReference[] References, double[][] Current) NumericWindow(int features, int referenceRows, int currentRows, Dictionary<int, double> shifts)
    {
        var references = new FeatureReference[features];
        var current = new double[features][];
        for (var i = 0; i < features; i++)
        {
            references[i] = FeatureReference.Create($"f{i}", FeatureKind.Numeric, Columns.Normal(1_000 + i, referenceRows));
            current[i] = Columns.Normal(2_000 + i, currentRows, mean: shifts.GetValueOrDefault(i));
        }

        return (references, current);
    }
}

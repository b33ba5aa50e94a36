using Fleet.Drift.Analysis;

namespace Fleet.Drift;

/// <summary>
/// Compares a current window with the reference, feature by feature, and decides whether the model's
/// inputs or outputs drifted. Rules (defaults in <see cref="DriftSettings"/>, reasons in
/// src/Fleet.Drift/README.md):
/// <list type="bullet">
/// <item>A feature with fewer than <see cref="DriftSettings.MinSamples"/> non-missing values on either side is
/// <see cref="DriftVerdict.InsufficientData"/>.</item>
/// <item>Numeric features: two-sample Kolmogorov-Smirnov test, effect = normalised Wasserstein distance.
/// Categorical features: chi-square test of homogeneity, effect = Jensen-Shannon distance. PSI is
/// reported as extra evidence only.</item>
/// <item>p-values are adjusted with <see cref="DriftSettings.Correction"/> across all features with enough
/// data, the output feature included.</item>
/// <item>A feature drifts only when its adjusted p-value is below <see cref="DriftSettings.Alpha"/> AND its
/// effect size reaches its threshold: with large windows the test alone flags trivial shifts.</item>
/// <item>Overall: Drift when the output feature (named <see cref="DriftSettings.OutputFeatureName"/>) drifts,
/// when at least <see cref="DriftSettings.DriftShare"/> of the input features with enough data drift, or when
/// one input drifts with an effect of at least <see cref="DriftSettings.LargeEffectFactor"/> times its threshold;
/// Warning when inputs drifted without meeting those; otherwise InsufficientData when the output feature is
/// present and lacks data, or when no feature has enough data; otherwise NoDrift. Each rule that fired is one
/// of <see cref="DriftReport.Reasons"/>.</item>
/// </list>
/// Pure and single-threaded; allocates its sort buffers once per call, not per feature.
/// </summary>
public static class DriftAnalyzer
{
    /// <summary>
    /// <paramref name="currentColumns"/>[i] holds the current window's values of <paramref name="references"/>[i]
    /// (same order; NaN and infinities are missing and ignored).
    /// </summary>
    public static DriftReport Analyze(IReadOnlyList<FeatureReference> references, IReadOnlyList<double[]> currentColumns, DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(currentColumns);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (references.Count != currentColumns.Count)
            throw new ArgumentException($"{references.Count} references but {currentColumns.Count} current columns", nameof(currentColumns));

        var longestCurrent = 0;
        var longestReference = 0;
        for (var i = 0; i < references.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(references[i], $"{nameof(references)}[{i}]");
            ArgumentNullException.ThrowIfNull(currentColumns[i], $"{nameof(currentColumns)}[{i}]");
            longestCurrent = Math.Max(longestCurrent, currentColumns[i].Length);
            longestReference = Math.Max(longestReference, references[i].Rows);
        }

        var measurer = new FeatureMeasurer(longestCurrent);
        var measurements = new FeatureMeasurement[references.Count];
        var pValues = new double[references.Count];
        for (var i = 0; i < references.Count; i++)
        {
            measurements[i] = measurer.Measure(references[i], currentColumns[i], settings.MinSamples);
            pValues[i] = measurements[i].PValue;
        }

        var adjusted = MultipleTesting.Adjust(pValues, settings.Correction);
        var features = new FeatureDrift[references.Count];
        for (var i = 0; i < references.Count; i++)
            features[i] = Describe(references[i], measurements[i], adjusted[i], settings);

        var summary = OverallVerdict.Decide(features, settings);
        return new DriftReport(summary.Verdict, summary.Reason, summary.DriftedShare, longestReference, longestCurrent, features) { Reasons = summary.Reasons };
    }

    /// <summary>
    /// The overall verdict of features already judged (the rules above); features <see cref="DriftVerdict.Suspected"/>
    /// count as not drifting here (<see cref="DriftConfirmation"/> reports them).
    /// </summary>
    public static (DriftVerdict Verdict, string Reason, double DriftedShare, string[] Reasons) Summarise(IReadOnlyList<FeatureDrift> features, DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(settings);
        var summary = OverallVerdict.Decide(features, settings);
        return (summary.Verdict, summary.Reason, summary.DriftedShare, summary.Reasons);
    }

    private static FeatureDrift Describe(FeatureReference reference, FeatureMeasurement m, double adjustedP, DriftSettings settings)
    {
        var numeric = reference.Kind == FeatureKind.Numeric;
        var threshold = numeric ? settings.NumericEffectThreshold : settings.CategoricalEffectThreshold;
        var verdict = !m.HasEnoughData ? DriftVerdict.InsufficientData
            : adjustedP < settings.Alpha && m.EffectSize >= threshold ? DriftVerdict.Drift
            : DriftVerdict.NoDrift;
        return new FeatureDrift(
            reference.Name,
            reference.Kind,
            numeric ? "ks" : "chi2",
            m.Statistic,
            m.PValue,
            adjustedP,
            numeric ? "wasserstein" : "jensen_shannon",
            m.EffectSize,
            m.Psi,
            verdict,
            m.ReferenceCount,
            m.CurrentCount);
    }
}

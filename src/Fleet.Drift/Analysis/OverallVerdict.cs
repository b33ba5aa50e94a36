using System.Globalization;

namespace Fleet.Drift.Analysis;

/// <summary>
/// The window's verdict from its features' verdicts, with one reason per rule that fired. The output feature
/// is judged on its own: drift in the model's predictions is the strongest single signal (black-box shift
/// detection, Rabanser et al. 2019), and without enough predictions there is nothing to judge. A single input
/// with a large effect is drift on its own (one feature scaled by 1.35 or divided by 100 upstream breaks a
/// model however many other features it has); drifted inputs below the share and without a large effect are a
/// <see cref="DriftVerdict.Warning"/>: never milder than what fired.
/// </summary>
internal static class OverallVerdict
{
    public static Summary Decide(IReadOnlyList<FeatureDrift> features, DriftSettings settings)
    {
        FeatureDrift? output = null;
        int inputs = 0, evaluated = 0;
        var drifted = new List<FeatureDrift>();
        foreach (var feature in features)
        {
            if (output is null && feature.Name == settings.OutputFeatureName)
            {
                output = feature;
                continue;
            }

            inputs++;
            evaluated += feature.Verdict == DriftVerdict.InsufficientData ? 0 : 1;
            if (feature.Verdict == DriftVerdict.Drift)
                drifted.Add(feature);
        }

        var share = evaluated == 0 ? 0.0 : (double)drifted.Count / evaluated;
        var inputSummary = InputSummary(drifted, evaluated, inputs, share);
        var drift = new List<string>();
        var warning = new List<string>();
        if (output is { Verdict: DriftVerdict.Drift })
            drift.Add($"output drifted ({Evidence(output)})");
        if (evaluated > 0 && share >= settings.DriftShare)
            drift.Add(inputSummary + Invariant($", at or above the {settings.DriftShare:0.#%} share"));

        var large = drifted.Where(f => f.EffectSize >= settings.LargeEffectFactor * Threshold(f, settings)).ToArray();
        foreach (var feature in large)
        {
            drift.Add(Invariant($"feature '{feature.Name}' drifted with a large effect ({Evidence(feature)}, at least {settings.LargeEffectFactor:0.#}x the {Threshold(feature, settings):0.###} threshold)"));
        }

        if (drifted.Count > 0 && share < settings.DriftShare && large.Length < drifted.Count)
            warning.Add(inputSummary + Invariant($", below the {settings.DriftShare:0.#%} share and none with a large effect"));

        if (drift.Count > 0 || warning.Count > 0)
        {
            string[] reasons = [.. drift, .. warning];
            return new(drift.Count > 0 ? DriftVerdict.Drift : DriftVerdict.Warning, string.Join("; ", reasons), share, reasons);
        }

        if (output is { Verdict: DriftVerdict.InsufficientData })
        {
            return new(DriftVerdict.InsufficientData,
                Invariant($"output has {output.ReferenceCount} reference and {output.CurrentCount} current values, below the minimum of {settings.MinSamples}"),
                share, []);
        }

        if (evaluated == 0 && output is null)
            return new(DriftVerdict.InsufficientData, Invariant($"no feature has {settings.MinSamples} values on both sides"), share, []);
        if (evaluated == 0)
            return new(DriftVerdict.NoDrift, "output did not drift; no input feature has enough data", share, []);
        return new(DriftVerdict.NoDrift, inputSummary + Invariant($", below the {settings.DriftShare:0.#%} share"), share, []);
    }

    private static double Threshold(FeatureDrift feature, DriftSettings settings) =>
        feature.Kind == FeatureKind.Numeric ? settings.NumericEffectThreshold : settings.CategoricalEffectThreshold;

    // "3 of 20 features drifted (15%): a, b, c", noting those that could not be tested.
    private static string InputSummary(List<FeatureDrift> drifted, int evaluated, int inputs, double share)
    {
        var summary = Invariant($"{drifted.Count} of {evaluated} features drifted ({share:0.#%})");
        if (evaluated != inputs)
            summary += Invariant($" ({inputs - evaluated} more without enough data)");
        return drifted.Count is > 0 and <= 5 ? summary + ": " + string.Join(", ", drifted.Select(f => f.Name)) : summary;
    }

    // "ks p=1.2e-9, wasserstein 0.31"
    internal static string Evidence(FeatureDrift feature)
    {
        var effectName = feature.EffectMeasure == "jensen_shannon" ? "jensen-shannon" : feature.EffectMeasure;
        return $"{feature.Test} p={FormatP(feature.AdjustedPValue)}, {effectName} {FormatEffect(feature.EffectSize)}";
    }

    internal static string FormatP(double p) =>
        p == 0 || p >= 0.001 ? p.ToString("0.###", CultureInfo.InvariantCulture) : p.ToString("0.#e0", CultureInfo.InvariantCulture);

    private static string FormatEffect(double effect) => effect.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The verdict, its one-line reason (the reasons joined), the drifted share and one reason per rule that fired.</summary>
    internal readonly record struct Summary(DriftVerdict Verdict, string Reason, double DriftedShare, string[] Reasons);
}

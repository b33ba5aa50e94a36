using System.Globalization;

namespace Fleet.Drift.Analysis;

/// <summary>
/// The window's verdict from its features' verdicts, with a one-sentence reason. The output feature is
/// judged on its own: drift in the model's predictions is the strongest single signal (black-box shift
/// detection, Rabanser et al. 2019), and without enough predictions there is nothing to judge.
/// </summary>
internal static class OverallVerdict
{
    public static (DriftVerdict Verdict, string Reason, double DriftedShare) Decide(IReadOnlyList<FeatureDrift> features, DriftSettings settings)
    {
        FeatureDrift? output = null;
        int inputs = 0, evaluated = 0, drifted = 0;
        foreach (var feature in features)
        {
            if (output is null && feature.Name == settings.OutputFeatureName)
            {
                output = feature;
                continue;
            }

            inputs++;
            evaluated += feature.Verdict == DriftVerdict.InsufficientData ? 0 : 1;
            drifted += feature.Verdict == DriftVerdict.Drift ? 1 : 0;
        }

        var share = evaluated == 0 ? 0.0 : (double)drifted / evaluated;
        if (output is { Verdict: DriftVerdict.InsufficientData })
        {
            return (DriftVerdict.InsufficientData,
                Invariant($"output has {output.ReferenceCount} reference and {output.CurrentCount} current values, below the minimum of {settings.MinSamples}"),
                share);
        }

        if (evaluated == 0 && output is null)
            return (DriftVerdict.InsufficientData, Invariant($"no feature has {settings.MinSamples} values on both sides"), share);

        var inputSummary = InputSummary(drifted, evaluated, inputs, share);
        if (output is { Verdict: DriftVerdict.Drift })
            return (DriftVerdict.Drift, $"output drifted ({Evidence(output)})" + (evaluated > 0 ? "; " + inputSummary : ""), share);
        if (evaluated == 0)
            return (DriftVerdict.NoDrift, "output did not drift; no input feature has enough data", share);
        if (share >= settings.DriftShare)
            return (DriftVerdict.Drift, inputSummary + Invariant($", at or above the {settings.DriftShare:0.#%} share"), share);
        return (DriftVerdict.NoDrift, inputSummary + Invariant($", below the {settings.DriftShare:0.#%} share"), share);
    }

    // "3 of 20 features drifted (15%)", noting those that could not be tested.
    private static string InputSummary(int drifted, int evaluated, int inputs, double share)
    {
        var summary = Invariant($"{drifted} of {evaluated} features drifted ({share:0.#%})");
        return evaluated == inputs ? summary : summary + Invariant($" ({inputs - evaluated} more without enough data)");
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
}

using System.Globalization;
using Fleet.Drift.Analysis;

namespace Fleet.Drift;

/// <summary>
/// A version's outputs judged against another version's on recent traffic (the previous live version after a
/// promotion, the other arm of a canary), not against its own reference, which a wrong model records from
/// itself. Classifiers compare predicted-class shares (chi-square; with the entropy of the shares in the
/// evidence), regressors their values (KS). A collapse, every output the same where the other version's varied,
/// fires on its own. The result is a <see cref="DetectorCheck"/>, confirmed over repeated checks like any detector.
/// </summary>
public static class OutputComparison
{
    /// <summary>The detector's name: it names the baseline, so a new baseline starts a new confirmation run.</summary>
    public static string Name(string baselineVersion) => $"outputs against the previous version '{baselineVersion}'";

    /// <summary>Null when either side has fewer than <see cref="DriftSettings.MinSamples"/> finite outputs.</summary>
    public static DetectorCheck? Compare(string baselineVersion, FeatureKind kind, IReadOnlyList<double> baseline, IReadOnlyList<double> current, DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var before = baseline.Where(double.IsFinite).ToArray();
        var now = current.Where(double.IsFinite).ToArray();
        if (before.Length < settings.MinSamples || now.Length < settings.MinSamples)
            return null;

        var name = Name(baselineVersion);
        var distinctBefore = before.Distinct().Count();
        var shares = kind == FeatureKind.Categorical ? Invariant($"; class shares {Shares(now)} (entropy {Entropy(now):0.##} bits) against {Shares(before)} ({Entropy(before):0.##} bits)") : string.Empty;
        if (now.Distinct().Count() == 1 && distinctBefore > 1)
        {
            // Every output the same: fired only when the previous version's share of that value makes such a run
            // unlikely (share^n below alpha); a rare class absent from a few hundred rows is not a collapse.
            var share = (double)before.Count(v => v == now[0]) / before.Length;
            var chance = Math.Pow(share, now.Length);
            if (chance < settings.Alpha)
            {
                return new DetectorCheck(name, true, Invariant(
                    $"collapsed: all {now.Length} outputs are {Format(now[0])}, where its last {before.Length} took {distinctBefore} distinct values ({Format(now[0])} in {share:0.##} of them){shares}"));
            }
        }

        var report = DriftAnalyzer.Analyze([FeatureReference.Create("output", kind, before)], [now], settings);
        var feature = report.Features[0];
        var fired = feature.Verdict == DriftVerdict.Drift;
        return new DetectorCheck(name, fired, Invariant(
            $"{now.Length} outputs against its last {before.Length}: {OverallVerdict.Evidence(feature)}{(fired ? string.Empty : " (no change)")}{shares}"));
    }
    private static string Shares(double[] classes) =>
        string.Join(" ", classes.GroupBy(c => c).OrderBy(g => g.Key).Select(g => Invariant($"{Format(g.Key)}:{(double)g.Count() / classes.Length:0.##}")));

    private static double Entropy(double[] classes) =>
        Math.Max(0, -classes.GroupBy(c => c).Select(g => (double)g.Count() / classes.Length).Sum(p => p * Math.Log2(p)));

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

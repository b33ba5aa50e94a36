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
    public const string Name = "outputs against the previous version";

    /// <summary>Null when either side has fewer than <see cref="DriftSettings.MinSamples"/> finite outputs.</summary>
    public static DetectorCheck? Compare(string baselineVersion, FeatureKind kind, IReadOnlyList<double> baseline, IReadOnlyList<double> current, DriftSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var before = baseline.Where(double.IsFinite).ToArray();
        var now = current.Where(double.IsFinite).ToArray();
        if (before.Length < settings.MinSamples || now.Length < settings.MinSamples)
            return null;

        var distinctBefore = before.Distinct().Count();
        var shares = kind == FeatureKind.Categorical ? Invariant($"; class shares {Shares(now)} (entropy {Entropy(now):0.##} bits) against {Shares(before)} ({Entropy(before):0.##} bits)") : string.Empty;
        if (now.Distinct().Count() == 1 && distinctBefore > 1)
        {
            return new DetectorCheck(Name, true, Invariant(
                $"collapsed: all {now.Length} outputs are {Format(now[0])}, where the last {before.Length} of version '{baselineVersion}' took {distinctBefore} distinct values{shares}"));
        }

        var report = DriftAnalyzer.Analyze([FeatureReference.Create("output", kind, before)], [now], settings);
        var feature = report.Features[0];
        var fired = feature.Verdict == DriftVerdict.Drift;
        return new DetectorCheck(Name, fired, Invariant(
            $"{now.Length} outputs against the last {before.Length} of version '{baselineVersion}': {OverallVerdict.Evidence(feature)}{(fired ? string.Empty : " (no change)")}{shares}"));
    }

    private static string Shares(double[] classes) =>
        string.Join(" ", classes.GroupBy(c => c).OrderBy(g => g.Key).Select(g => Invariant($"{Format(g.Key)}:{(double)g.Count() / classes.Length:0.##}")));

    private static double Entropy(double[] classes) =>
        Math.Max(0, -classes.GroupBy(c => c).Select(g => (double)g.Count() / classes.Length).Sum(p => p * Math.Log2(p)));

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

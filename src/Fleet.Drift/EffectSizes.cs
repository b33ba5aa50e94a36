using Fleet.Drift.Samples;

namespace Fleet.Drift;

/// <summary>
/// How far apart two distributions are, independent of sample size (unlike a p-value). Each measure is
/// defined as the SciPy/NumPy expression named on it and is tested against it (tests/Fleet.Drift.Tests/Data).
/// </summary>
public static class EffectSizes
{
    /// <summary>What PSI puts in place of an empty bin's share (Evidently's 0.0001), so the logarithm stays finite.</summary>
    public const double PsiEmptyShare = 0.0001;

    /// <summary>
    /// Wasserstein-1 distance between two samples, both ascending without NaN:
    /// <c>scipy.stats.wasserstein_distance(a, b)</c>.
    /// </summary>
    public static double WassersteinDistance(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        RequireSorted(sortedA, nameof(sortedA));
        RequireSorted(sortedB, nameof(sortedB));
        return SortedMerge.Wasserstein(sortedA, sortedB);
    }

    /// <summary>
    /// Evidently's normalised Wasserstein distance, <c>wasserstein_distance(ref, cur) / np.std(ref)</c>: the
    /// shift in units of the reference's (population) standard deviation; 0.1 is a tenth of a sigma. When
    /// the reference is constant (std 0) it is 0 if the samples are identical and +infinity otherwise: any
    /// movement of a constant feature is large.
    /// </summary>
    public static double NormalisedWasserstein(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        RequireSorted(sortedReference, nameof(sortedReference));
        RequireSorted(sortedCurrent, nameof(sortedCurrent));
        var std = SampleMath.PopulationStd(sortedReference, SampleMath.Mean(sortedReference));
        return Normalise(SortedMerge.Wasserstein(sortedReference, sortedCurrent), std);
    }

    internal static double Normalise(double wasserstein, double referenceStd) =>
        referenceStd > 0 ? wasserstein / referenceStd : wasserstein == 0 ? 0.0 : double.PositiveInfinity;

    /// <summary>
    /// Jensen-Shannon distance (base 2, in [0, 1]) between two distributions given as non-negative weights
    /// per category (normalised here): <c>scipy.spatial.distance.jensenshannon(p, q, base=2)</c>. A divergence
    /// that rounds below zero (near-identical inputs) gives 0 where SciPy would give NaN.
    /// </summary>
    public static double JensenShannonDistance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
            throw new ArgumentException("p and q must have one weight per category each", nameof(q));
        double sumP = 0, sumQ = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (!(p[i] >= 0) || !(q[i] >= 0) || double.IsInfinity(p[i]) || double.IsInfinity(q[i]))
                throw new ArgumentException("weights must be finite and non-negative");
            sumP += p[i];
            sumQ += q[i];
        }

        if (sumP == 0 || sumQ == 0)
            throw new ArgumentException("each distribution needs a positive total weight");

        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sumP;
            var qi = q[i] / sumQ;
            var mi = (pi + qi) / 2.0;
            left += RelativeEntropy(pi, mi);
            right += RelativeEntropy(qi, mi);
        }

        var divergence = (left + right) / Math.Log(2);
        return Math.Sqrt(Math.Max(divergence / 2.0, 0.0));
    }

    /// <summary>
    /// Population stability index of a numeric feature, bins from the reference's deciles (see
    /// src/Fleet.Drift/README.md): <see cref="PsiFromCounts"/> of the two samples' counts per bin.
    /// Both samples ascending without NaN.
    /// </summary>
    public static double Psi(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        RequireSorted(sortedReference, nameof(sortedReference));
        RequireSorted(sortedCurrent, nameof(sortedCurrent));
        var edges = PsiBins.Edges(sortedReference);
        Span<long> referenceCounts = stackalloc long[edges.Length + 1];
        Span<long> currentCounts = stackalloc long[edges.Length + 1];
        PsiBins.Count(sortedReference, edges, referenceCounts);
        PsiBins.Count(sortedCurrent, edges, currentCounts);
        return PsiFromCounts(referenceCounts, currentCounts);
    }

    /// <summary>
    /// Population stability index from counts per bin (or per category), Evidently-style:
    /// sum over bins of (r - c) ln(r / c) with r, c each side's share of its total and an empty bin's share
    /// replaced by <see cref="PsiEmptyShare"/>. Rule of thumb: below 0.1 stable, 0.1-0.25 moderate, above 0.25 large.
    /// </summary>
    public static double PsiFromCounts(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts)
    {
        if (referenceCounts.Length != currentCounts.Length)
            throw new ArgumentException("reference and current need one count per bin each", nameof(currentCounts));
        long referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            if (referenceCounts[i] < 0 || currentCounts[i] < 0)
                throw new ArgumentException("counts must not be negative");
            referenceTotal += referenceCounts[i];
            currentTotal += currentCounts[i];
        }

        if (referenceTotal == 0 || currentTotal == 0)
            throw new ArgumentException("each side needs at least one value");

        var psi = 0.0;
        for (var i = 0; i < referenceCounts.Length; i++)
        {
            var r = Share(referenceCounts[i], referenceTotal);
            var c = Share(currentCounts[i], currentTotal);
            psi += (r - c) * Math.Log(r / c);
        }

        return psi;
    }

    private static double Share(long count, long total) => count == 0 ? PsiEmptyShare : (double)count / total;

    // SciPy's rel_entr: x log(x/y), 0 when x is 0.
    private static double RelativeEntropy(double x, double y) =>
        x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0.0 : double.PositiveInfinity;

    internal static void RequireSorted(ReadOnlySpan<double> values, string name)
    {
        if (values.IsEmpty)
            throw new ArgumentException("the sample must not be empty", name);
        if (!SampleMath.IsSortedWithoutNaN(values))
            throw new ArgumentException("the sample must be sorted ascending and contain no NaN", name);
    }
}

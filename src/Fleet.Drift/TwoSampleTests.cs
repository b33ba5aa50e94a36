using Fleet.Drift.Kolmogorov;
using Fleet.Drift.Samples;
using MathNet.Numerics;

namespace Fleet.Drift;

/// <summary>Two-sample tests of "same distribution", each matching a named SciPy 1.10 call.</summary>
public static class TwoSampleTests
{
    /// <summary>
    /// Two-sided two-sample Kolmogorov-Smirnov test on samples sorted ascending without NaN, as
    /// <c>scipy.stats.ks_2samp(a, b)</c> (method 'auto'): an exact p-value by lattice-path counting when
    /// both samples have at most 10,000 values, otherwise the Kolmogorov distribution at
    /// n = round(n1 n2 / (n1 + n2)). One merge pass; the statistic is exact (an integer ratio).
    /// </summary>
    public static KsResult KolmogorovSmirnov(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB)
    {
        EffectSizes.RequireSorted(sortedA, nameof(sortedA));
        EffectSizes.RequireSorted(sortedB, nameof(sortedB));
        return KolmogorovSmirnovSorted(sortedA, sortedB);
    }

    internal static KsResult KolmogorovSmirnovSorted(ReadOnlySpan<double> sortedA, ReadOnlySpan<double> sortedB) =>
        KsPValue.TwoSided(sortedA.Length, sortedB.Length, SortedMerge.MaxCross(sortedA, sortedB));

    /// <summary>
    /// Pearson's chi-square test of homogeneity on a 2 x K table of counts per category (reference row,
    /// current row), exactly <c>scipy.stats.chi2_contingency([reference, current], correction=False)</c>
    /// after dropping categories with no count on either side. Expected counts pool both rows, so the
    /// reference is treated as the sample it is rather than as the true distribution (a goodness-of-fit test
    /// against reference frequencies, <c>chisquare(f_obs, f_exp)</c>, understates the variance and
    /// over-alarms for small references), and a category unseen in the reference needs no special case:
    /// it is one more column with a reference count of 0. With a single category the statistic is 0 and
    /// the p-value 1 (no degrees of freedom), as SciPy returns.
    /// </summary>
    public static ChiSquareResult ChiSquare(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts)
    {
        if (referenceCounts.Length != currentCounts.Length)
            throw new ArgumentException("reference and current need one count per category each", nameof(currentCounts));
        long referenceTotal = 0, currentTotal = 0;
        var categories = 0;
        for (var k = 0; k < referenceCounts.Length; k++)
        {
            if (referenceCounts[k] < 0 || currentCounts[k] < 0)
                throw new ArgumentException("counts must not be negative");
            referenceTotal += referenceCounts[k];
            currentTotal += currentCounts[k];
            categories += referenceCounts[k] + currentCounts[k] > 0 ? 1 : 0;
        }

        if (referenceTotal == 0 || currentTotal == 0)
            throw new ArgumentException("each side needs at least one count");
        if (categories < 2)
            return new ChiSquareResult(0.0, 1.0, 0);

        double total = referenceTotal + currentTotal;
        double referenceSum = 0, currentSum = 0;
        for (var k = 0; k < referenceCounts.Length; k++)
        {
            double column = referenceCounts[k] + currentCounts[k];
            if (column == 0)
                continue;
            referenceSum += PearsonTerm(referenceCounts[k], referenceTotal * column / total);
            currentSum += PearsonTerm(currentCounts[k], currentTotal * column / total);
        }

        var statistic = referenceSum + currentSum;
        var dof = categories - 1;
        return new ChiSquareResult(statistic, SpecialFunctions.GammaUpperRegularized(dof / 2.0, statistic / 2.0), dof);
    }

    private static double PearsonTerm(double observed, double expected)
    {
        var difference = observed - expected;
        return difference * difference / expected;
    }
}

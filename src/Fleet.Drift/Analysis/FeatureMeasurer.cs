using Fleet.Drift.Samples;

namespace Fleet.Drift.Analysis;

/// <summary>
/// Measures features' current windows against their references: the test, the effect size and PSI. Each
/// current column is filtered and sorted once into this measurer's buffers, reused from feature to feature
/// (one measurer per analysis; not thread-safe); the reference side is all precomputed in
/// <see cref="FeatureReference"/>.
/// </summary>
internal sealed class FeatureMeasurer(int longestColumn)
{
    private readonly RadixSort _sort = new();
    private readonly double[] _current = new double[longestColumn];

    public FeatureMeasurement Measure(FeatureReference reference, ReadOnlySpan<double> column, int minSamples)
    {
        var finite = SampleMath.CountFinite(column);
        if (reference.Count < minSamples || finite < minSamples)
            return FeatureMeasurement.Insufficient(reference.Count, finite);
        var current = SortFinite(column);
        return reference.Kind == FeatureKind.Numeric ? Numeric(reference, current) : Categorical(reference, current);
    }

    /// <summary>The KS part of <see cref="Measure"/> alone (what the benchmark times against SciPy).</summary>
    public KsResult KolmogorovSmirnov(FeatureReference reference, ReadOnlySpan<double> column) =>
        TwoSampleTests.KolmogorovSmirnovSorted(reference.Values, SortFinite(column));

    private ReadOnlySpan<double> SortFinite(ReadOnlySpan<double> column) => _current.AsSpan(0, _sort.SortFinite(column, _current));

    private static FeatureMeasurement Numeric(FeatureReference reference, ReadOnlySpan<double> current)
    {
        var ks = TwoSampleTests.KolmogorovSmirnovSorted(reference.Values, current);
        var effect = EffectSizes.Normalise(SortedMerge.Wasserstein(reference.Values, current), reference.Std);
        Span<long> currentBins = stackalloc long[reference.PsiCounts.Length];
        PsiBins.Count(current, reference.PsiEdges, currentBins);
        var psi = EffectSizes.PsiFromCounts(reference.PsiCounts, currentBins);
        return new FeatureMeasurement(true, ks.Statistic, ks.PValue, effect, psi, reference.Count, current.Length);
    }

    private static FeatureMeasurement Categorical(FeatureReference reference, ReadOnlySpan<double> current)
    {
        var (referenceCounts, currentCounts) = Categories.Align(reference.Values, reference.Counts, current);
        var chi = TwoSampleTests.ChiSquare(referenceCounts, currentCounts);
        var effect = EffectSizes.JensenShannonDistance(ToDouble(referenceCounts), ToDouble(currentCounts));
        var psi = EffectSizes.PsiFromCounts(referenceCounts, currentCounts);
        return new FeatureMeasurement(true, chi.Statistic, chi.PValue, effect, psi, reference.Count, current.Length);
    }

    private static double[] ToDouble(long[] counts) => Array.ConvertAll(counts, c => (double)c);
}

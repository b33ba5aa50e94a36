namespace Fleet.Drift.Tests.Scipy;

/// <summary>Chi-square, Jensen-Shannon and categorical PSI against SciPy / the NumPy reference PSI.</summary>
public sealed class CategoricalAgreementTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Expected.Load().Categorical;
        for (var i = 0; i < cases.Count; i++)
            data.Add(i, cases[i].Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chi_square_matches_chi2_contingency_without_correction(int index, string name)
    {
        var c = Expected.Load().Categorical[index];
        var result = TwoSampleTests.ChiSquare(c.Reference, c.Current);

        Tolerance.Statistic(c.Chi2Statistic, result.Statistic, $"{name} statistic");
        Tolerance.PValue(c.Chi2Pvalue, result.PValue, $"{name} p-value");
        Assert.Equal(c.Chi2Dof, result.DegreesOfFreedom);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Jensen_shannon_and_psi_match_on_category_counts(int index, string name)
    {
        var c = Expected.Load().Categorical[index];

        Tolerance.Statistic(c.JensenShannon, EffectSizes.JensenShannonDistance(ToDouble(c.Reference), ToDouble(c.Current)), $"{name} jensen-shannon");
        Tolerance.Statistic(c.Psi, EffectSizes.PsiFromCounts(c.Reference, c.Current), $"{name} psi");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_analyzer_counts_categories_from_raw_codes_as_the_counts_say(int index, string name)
    {
        var c = Expected.Load().Categorical[index];
        var reference = FeatureReference.Create(name, FeatureKind.Categorical, Codes(c.Reference));
        var settings = new DriftSettings { MinSamples = 1, Correction = PValueCorrection.None };

        var feature = Assert.Single(DriftAnalyzer.Analyze([reference], [Codes(c.Current)], settings).Features);

        Assert.Equal(("chi2", "jensen_shannon"), (feature.Test, feature.EffectMeasure));
        Tolerance.Statistic(c.Chi2Statistic, feature.Statistic, $"{name} statistic");
        Tolerance.PValue(c.Chi2Pvalue, feature.PValue, $"{name} p-value");
        Tolerance.Statistic(c.JensenShannon, feature.EffectSize, $"{name} jensen-shannon");
        Tolerance.Statistic(c.Psi, feature.Psi, $"{name} psi");
    }

    [Fact]
    public void Jensen_shannon_matches_jensenshannon_base_2_on_weights()
    {
        foreach (var c in Expected.Load().JensenShannon)
        {
            Tolerance.Statistic(c.Distance, EffectSizes.JensenShannonDistance(c.P, c.Q), $"[{string.Join(", ", c.P)}] vs [{string.Join(", ", c.Q)}]");
        }
    }

    // Category k repeated counts[k] times, shuffled so that the analyzer has to sort and count: codes 10, 20, ...
    private static double[] Codes(long[] counts)
    {
        var codes = counts.SelectMany((count, k) => Enumerable.Repeat(10.0 * (k + 1), (int)count)).ToArray();
        new Random(counts.Length).Shuffle(codes);
        return codes;
    }

    private static double[] ToDouble(long[] counts) => Array.ConvertAll(counts, c => (double)c);
}

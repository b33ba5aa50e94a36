namespace Fleet.Drift.Tests.Scipy;

/// <summary>KS, Wasserstein and PSI on the fixed sample pairs against SciPy / the NumPy reference PSI.</summary>
public sealed class SampleAgreementTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var samples = Expected.Load().Samples;
        for (var i = 0; i < samples.Count; i++)
            data.Add(i, samples[i].Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kolmogorov_smirnov_matches_ks_2samp(int index, string name)
    {
        var sample = Expected.Load().Samples[index];
        var result = TwoSampleTests.KolmogorovSmirnov(Sorted(sample.A), Sorted(sample.B));

        Tolerance.Statistic(sample.KsStatistic, result.Statistic, $"{name} statistic");
        Tolerance.PValue(sample.KsPvalue, result.PValue, $"{name} p-value ({sample.Method})");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kolmogorov_smirnov_is_symmetric(int index, string name)
    {
        var sample = Expected.Load().Samples[index];
        var forward = TwoSampleTests.KolmogorovSmirnov(Sorted(sample.A), Sorted(sample.B));
        var backward = TwoSampleTests.KolmogorovSmirnov(Sorted(sample.B), Sorted(sample.A));

        Assert.Equal(forward.Statistic, backward.Statistic);
        Tolerance.PValue(forward.PValue, backward.PValue, $"{name} p-value both ways");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wasserstein_matches_wasserstein_distance_and_its_normalisation(int index, string name)
    {
        var sample = Expected.Load().Samples[index];

        Tolerance.Statistic(sample.Wasserstein, EffectSizes.WassersteinDistance(Sorted(sample.A), Sorted(sample.B)), $"{name} wasserstein");
        Tolerance.Statistic(sample.NormalisedWasserstein, EffectSizes.NormalisedWasserstein(Sorted(sample.A), Sorted(sample.B)), $"{name} normalised");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Psi_matches_the_numpy_reference_implementation(int index, string name)
    {
        var sample = Expected.Load().Samples[index];

        Tolerance.Statistic(sample.Psi, EffectSizes.Psi(Sorted(sample.A), Sorted(sample.B)), $"{name} psi");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_analyzer_reports_the_same_numbers_from_a_feature_reference(int index, string name)
    {
        var sample = Expected.Load().Samples[index];
        var reference = FeatureReference.Create(name, FeatureKind.Numeric, sample.A);
        var settings = new DriftSettings { MinSamples = 1, Correction = PValueCorrection.None };

        var feature = Assert.Single(DriftAnalyzer.Analyze([reference], [sample.B], settings).Features);

        Tolerance.Statistic(sample.KsStatistic, feature.Statistic, $"{name} statistic");
        Tolerance.PValue(sample.KsPvalue, feature.PValue, $"{name} p-value");
        Assert.Equal(feature.PValue, feature.AdjustedPValue);
        Tolerance.Statistic(sample.NormalisedWasserstein, feature.EffectSize, $"{name} normalised wasserstein");
        Tolerance.Statistic(sample.Psi, feature.Psi, $"{name} psi");
        Assert.Equal((sample.A.Length, sample.B.Length), (feature.ReferenceCount, feature.CurrentCount));
    }

    private static double[] Sorted(double[] values) => values.Order().ToArray();
}

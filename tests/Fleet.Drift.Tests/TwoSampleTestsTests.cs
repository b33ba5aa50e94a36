namespace Fleet.Drift.Tests;

/// <summary>Hand-checkable cases of the building blocks (the SciPy comparison is in Scipy/).</summary>
public sealed class TwoSampleTestsTests
{
    [Fact]
    public void Separated_samples_of_three_have_statistic_one_and_exact_p_two_in_twenty()
    {
        // Two of the C(6, 3) = 20 orderings reach D = 1 (SciPy: 0.09999999999999999).
        var result = TwoSampleTests.KolmogorovSmirnov([1, 2, 3], [4, 5, 6]);

        Assert.Equal(1.0, result.Statistic);
        Assert.Equal(0.1, result.PValue, 1e-15);
    }

    [Fact]
    public void Ties_across_the_samples_are_consumed_before_the_cdfs_are_compared()
    {
        // At 1 both ECDFs have seen every value equal to 1: F_a = 1, F_b = 2/3.
        Assert.Equal(1.0 / 3, TwoSampleTests.KolmogorovSmirnov([1], [1, 1, 5]).Statistic);
        Assert.Equal(0.0, TwoSampleTests.KolmogorovSmirnov([2, 2, 2], [2, 2]).Statistic);
    }

    [Fact]
    public void Unsorted_empty_or_NaN_samples_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TwoSampleTests.KolmogorovSmirnov([2, 1], [1, 2]));
        Assert.Throws<ArgumentException>(() => TwoSampleTests.KolmogorovSmirnov([], [1, 2]));
        Assert.Throws<ArgumentException>(() => TwoSampleTests.KolmogorovSmirnov([1, double.NaN], [1, 2]));
    }

    [Fact]
    public void Chi_square_of_proportional_rows_is_zero_with_p_one()
    {
        var result = TwoSampleTests.ChiSquare([100, 200, 300], [10, 20, 30]);

        Assert.Equal(new ChiSquareResult(0.0, 1.0, 2), result);
    }

    [Fact]
    public void Chi_square_counts_a_category_unseen_in_the_reference_as_one_more_degree_of_freedom()
    {
        // Pooled expectations: 600 * 435 / 900 = 290 and 145 for the seen columns, 20 and 10 for the new one.
        var result = TwoSampleTests.ChiSquare([300, 300, 0], [135, 135, 30]);

        Assert.Equal(2, result.DegreesOfFreedom);
        Assert.Equal(20.0 + 40.0 + (2 * ((100.0 / 290) + (100.0 / 145))), result.Statistic, 1e-12);
        Assert.True(result.PValue < 1e-10);
    }

    [Fact]
    public void Normalised_wasserstein_of_a_constant_reference_is_zero_or_infinite()
    {
        Assert.Equal(0.0, EffectSizes.NormalisedWasserstein([1, 1, 1], [1, 1]));
        Assert.Equal(double.PositiveInfinity, EffectSizes.NormalisedWasserstein([1, 1, 1], [1, 2]));
        Assert.Equal(1.0, EffectSizes.NormalisedWasserstein([-1, 1], [0, 2]));
    }

    [Fact]
    public void Jensen_shannon_is_zero_for_equal_and_one_for_disjoint_distributions()
    {
        Assert.Equal(0.0, EffectSizes.JensenShannonDistance([1, 2, 3], [2, 4, 6]));
        Assert.Equal(1.0, EffectSizes.JensenShannonDistance([1, 0], [0, 5]), 1e-15);
    }

    [Fact]
    public void Psi_replaces_empty_bins_with_a_small_share()
    {
        // (0.5 - 1e-4) ln(0.5 / 1e-4) + (0.5 - 1) ln(0.5 / 1)
        var expected = ((0.5 - 1e-4) * Math.Log(0.5 / 1e-4)) + ((0.5 - 1.0) * Math.Log(0.5));

        Assert.Equal(expected, EffectSizes.PsiFromCounts([50, 50], [0, 80]), 1e-15);
        Assert.Equal(0.0, EffectSizes.PsiFromCounts([5, 10], [50, 100]));
    }

    [Fact]
    public void Numeric_psi_bins_are_the_reference_deciles_with_open_outer_bins()
    {
        var reference = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();

        // Edges 10, 20, ..., 90: ten reference values per bin; the current sits in the top bin and beyond.
        var psi = EffectSizes.Psi(reference, [95, 150, 1e9]);

        Assert.Equal((9 * (0.1 - 1e-4) * Math.Log(0.1 / 1e-4)) + ((0.1 - 1) * Math.Log(0.1)), psi, 1e-12);
    }
}

namespace Fleet.Drift.Tests;

public sealed class MultipleTestingTests
{
    // m = 5: Bonferroni multiplies by 5; BH by 5/rank, then takes the running minimum from the largest p down.
    private static readonly double[] Crafted = [0.041, 0.005, 0.13, 0.011, 0.02];

    [Fact]
    public void Benjamini_hochberg_rejects_more_than_bonferroni_on_a_crafted_set()
    {
        var bonferroni = MultipleTesting.Adjust(Crafted, PValueCorrection.Bonferroni);
        var bh = MultipleTesting.Adjust(Crafted, PValueCorrection.BenjaminiHochberg);

        AssertClose([0.205, 0.025, 0.65, 0.055, 0.1], bonferroni);
        AssertClose([0.05125, 0.025, 0.13, 0.0275, 0.02 * 5 / 3], bh);
        Assert.Equal(1, bonferroni.Count(p => p < 0.05));
        Assert.Equal(3, bh.Count(p => p < 0.05));
    }

    [Fact]
    public void Benjamini_hochberg_is_monotone_in_p_and_takes_the_minimum_over_larger_p_values()
    {
        // Raw p m / rank: 0.05, 0.05, 0.0333..., 0.0375: the running minimum lowers ranks 1-2 to 1/30.
        var bh = MultipleTesting.Adjust([0.01, 0.02, 0.02, 0.03], PValueCorrection.BenjaminiHochberg);

        AssertClose([0.02 * 4 / 3, 0.02 * 4 / 3, 0.02 * 4 / 3, 0.03], bh);
    }

    [Fact]
    public void Adjusted_p_values_are_capped_at_one()
    {
        Assert.Equal([1.0, 1.0], MultipleTesting.Adjust([0.6, 0.9], PValueCorrection.Bonferroni));
        Assert.Equal([0.9, 0.9], MultipleTesting.Adjust([0.9, 0.9], PValueCorrection.BenjaminiHochberg));
    }

    [Fact]
    public void NaN_entries_stay_NaN_and_do_not_count_as_tests()
    {
        var adjusted = MultipleTesting.Adjust([0.01, double.NaN, 0.02], PValueCorrection.Bonferroni);

        Assert.Equal(0.02, adjusted[0]);
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.04, adjusted[2]);
        Assert.Equal([0.01, 0.03], MultipleTesting.Adjust([0.01, 0.03], PValueCorrection.None));
    }

    [Fact]
    public void P_values_outside_zero_to_one_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MultipleTesting.Adjust([0.5, 1.5], PValueCorrection.None));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-15);
    }
}

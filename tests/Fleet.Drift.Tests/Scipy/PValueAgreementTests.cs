using Fleet.Drift.Kolmogorov;

namespace Fleet.Drift.Tests.Scipy;

/// <summary>
/// The KS p-value machinery over grids that reach every regime SciPy distinguishes, without sample data:
/// the exact two-sample counts (with SciPy's fallback when the equal-size sum rounds above 1) and the
/// Kolmogorov distribution <c>kstwo.sf</c> behind the asymptotic p-value.
/// </summary>
public sealed class PValueAgreementTests
{
    [Fact]
    public void Two_sample_p_values_match_scipy_over_the_exact_grid()
    {
        var grid = Expected.Load().KsExactGrid;
        Assert.Contains(grid, point => point.Method == "asymp-fallback");
        foreach (var point in grid)
        {
            var result = KsPValue.TwoSided(point.N1, point.N2, point.MaxCross);

            Tolerance.Statistic(point.Statistic, result.Statistic, $"{point} statistic");
            Tolerance.PValue(point.Pvalue, result.PValue, $"{point} p-value ({point.Method})");
        }
    }

    [Fact]
    public void Kolmogorov_survival_function_matches_kstwo_sf_in_every_region()
    {
        foreach (var point in Expected.Load().KstwoGrid)
            Tolerance.PValue(point.Sf, KolmogorovDistribution.Sf(point.N, point.X), point.ToString());
    }
}

namespace Fleet.Drift.Tests.Scipy;

/// <summary>Bonferroni and Benjamini-Hochberg against statsmodels' <c>multipletests</c> (computed in NumPy).</summary>
public sealed class MultipleTestingAgreementTests
{
    [Fact]
    public void Adjusted_p_values_match_multipletests()
    {
        foreach (var c in Expected.Load().MultipleTesting)
        {
            var bonferroni = MultipleTesting.Adjust(c.P, PValueCorrection.Bonferroni);
            var bh = MultipleTesting.Adjust(c.P, PValueCorrection.BenjaminiHochberg);
            for (var i = 0; i < c.P.Length; i++)
            {
                Tolerance.PValue(c.Bonferroni[i], bonferroni[i], $"bonferroni[{i}] of {c.P.Length}");
                Tolerance.PValue(c.BenjaminiHochberg[i], bh[i], $"bh[{i}] of {c.P.Length}");
            }
        }
    }
}

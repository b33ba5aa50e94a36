namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Survival function Pr(D_n >= x) of the one-sample two-sided Kolmogorov-Smirnov statistic for n values
/// (SciPy's <c>kstwo.sf</c>), which SciPy's <c>ks_2samp</c> evaluates at n = round(n1 n2 / (n1 + n2)) for
/// its asymptotic p-value. Each region uses the method Simard and L'Ecuyer (2011) chose, with SciPy 1.10's
/// cut-offs, so the two agree to rounding everywhere.
/// </summary>
internal static class KolmogorovDistribution
{
    public static double Sf(int n, double x)
    {
        if (n < 1 || double.IsNaN(x))
            return double.NaN;
        if (x >= 1.0)
            return 0.0;
        var t = n * x;
        if (t <= 0.5)
            return 1.0;
        if (t <= 1.0)
            return Clip(1.0 - RubenGambinoLowerCdf(n, t));
        if (t >= n - 1)
            return Clip(2 * Math.Pow(1.0 - x, n));
        if (x >= 0.5)
            return Clip(2 * Smirnov.Sf(n, x));

        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693)
                return Clip(1.0 - DurbinMatrix.Cdf(n, x));
            if (nxSquared <= 4)
                return Clip(1.0 - Pomeranz.Cdf(n, x));
            return Clip(2 * Smirnov.Sf(n, x));
        }

        if (nxSquared >= 370.0)
            return 0.0;
        if (nxSquared >= 2.2)
            return Clip(2 * Smirnov.Sf(n, x));
        var cdf = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4 ? DurbinMatrix.Cdf(n, x) : PelzGood.Cdf(n, x);
        return Clip(1.0 - cdf);
    }

    // Pr(D_n <= x) = n!/n^n (2t - 1)^n for 1/(2n) <= x <= 1/n (Ruben and Gambino 1982).
    private static double RubenGambinoLowerCdf(int n, double t)
    {
        if (n <= 140)
        {
            var product = 1.0;
            for (var i = 1; i <= n; i++)
                product *= i * (1.0 / n) * ((2 * t) - 1);
            return product;
        }

        return Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
    }

    // log(n! / n^n) by Stirling's series with n log n taken out first, as SciPy does.
    private static double LogFactorialOverPower(int n)
    {
        ReadOnlySpan<double> coefficients =
        [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ];
        var rn = 1.0 / n;
        var z = rn / n;
        var series = 0.0;
        foreach (var c in coefficients)
            series = (series * z) + c;
        return (Math.Log(n) / 2) - n + (Math.Log(2 * Math.PI) / 2) + (rn * series);
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}

namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// SciPy 1.10's <c>ks_2samp(method='auto', alternative='two-sided')</c> p-value choice: exact when both
/// samples have at most 10,000 values (falling back to the asymptotic value if the exact one leaves
/// [0, 1]), otherwise <c>kstwo.sf(D, round(n1 n2 / (n1 + n2)))</c>.
/// </summary>
internal static class KsPValue
{
    public const int MaxExactSize = 10_000;

    /// <summary>
    /// The result for sizes <paramref name="n1"/>, <paramref name="n2"/> and the statistic given as
    /// <paramref name="maxCross"/> = max |i n2 - j n1| over the merged sample (D = maxCross / (n1 n2)).
    /// </summary>
    public static KsResult TwoSided(int n1, int n2, long maxCross)
    {
        var g = GreatestCommonDivisor(n1, n2);
        var lcm = (long)(n1 / g) * n2;
        var h = maxCross / g;
        var d = (double)h / lcm;
        if (Math.Max(n1, n2) <= MaxExactSize)
        {
            if (h == 0)
                return new KsResult(d, 1.0);
            var exact = n1 == n2 ? TwoSampleExact.OutsideSquare(n1, (int)h) : TwoSampleExact.InsideMethod(n1, n2, g, h);
            if (exact is >= 0 and <= 1)
                return new KsResult(d, exact);
        }

        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var effective = (int)Math.Round(m * n / (m + n), MidpointRounding.ToEven);
        return new KsResult(d, KolmogorovDistribution.Sf(effective, d));
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return a;
    }
}

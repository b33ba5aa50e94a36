namespace Fleet.Drift;

/// <summary>Adjusts p-values of several simultaneous tests so that Alpha applies to the whole family.</summary>
public static class MultipleTesting
{
    /// <summary>
    /// Adjusted p-values in input order. NaN entries (untested features) stay NaN and do not count towards
    /// the number of tests m. Bonferroni: min(1, p m). Benjamini-Hochberg: the step-up adjusted p-values
    /// min over j >= i of p_(j) m / j, monotone in p and capped at 1, as
    /// <c>statsmodels.stats.multitest.multipletests(p, method='fdr_bh')</c>.
    /// </summary>
    public static double[] Adjust(ReadOnlySpan<double> pValues, PValueCorrection correction)
    {
        foreach (var p in pValues)
        {
            if (p is < 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(pValues), p, "p-values must be in [0, 1] or NaN");
        }

        var adjusted = pValues.ToArray();
        var tested = 0;
        foreach (var p in pValues)
            tested += double.IsNaN(p) ? 0 : 1;
        if (tested == 0)
            return adjusted;

        switch (correction)
        {
            case PValueCorrection.None:
                break;
            case PValueCorrection.Bonferroni:
                for (var i = 0; i < adjusted.Length; i++)
                    adjusted[i] = Math.Min(1.0, adjusted[i] * tested);
                break;
            case PValueCorrection.BenjaminiHochberg:
                BenjaminiHochberg(pValues, adjusted, tested);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(correction), correction, "unknown p-value correction");
        }

        return adjusted;
    }

    private static void BenjaminiHochberg(ReadOnlySpan<double> pValues, double[] adjusted, int tested)
    {
        var order = new int[tested];
        var sorted = new double[tested];
        var next = 0;
        for (var i = 0; i < pValues.Length; i++)
        {
            if (double.IsNaN(pValues[i]))
                continue;
            order[next] = i;
            sorted[next++] = pValues[i];
        }

        Array.Sort(sorted, order);

        // From the largest p down: p_(j) / (j / m), as statsmodels divides by its ECDF factor, then a running minimum.
        var running = double.PositiveInfinity;
        for (var rank = tested; rank >= 1; rank--)
        {
            var raw = sorted[rank - 1] / ((double)rank / tested);
            running = Math.Min(running, raw);
            adjusted[order[rank - 1]] = Math.Min(running, 1.0);
        }
    }
}

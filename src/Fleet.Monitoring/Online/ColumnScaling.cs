namespace Fleet.Monitoring.Online;

/// <summary>
/// Reference mean and standard deviation (n − 1) of each column over its finite values. A column with no
/// spread (constant or missing throughout) gets scale 0 and is not monitored: any change from a constant
/// would be an infinite number of standard deviations and alarm at once.
/// </summary>
internal static class ColumnScaling
{
    public static (double[] Means, double[] Scales) Fit(IReadOnlyList<double[]> columns)
    {
        var means = new double[columns.Count];
        var scales = new double[columns.Count];
        for (var c = 0; c < columns.Count; c++)
            (means[c], scales[c]) = MeanAndStd(columns[c]);
        return (means, scales);
    }

    public static (double Mean, double Std) MeanAndStd(ReadOnlySpan<double> values)
    {
        // Welford: stable for large offsets (timestamps, prices) where sum-of-squares cancels.
        long n = 0;
        double mean = 0, m2 = 0;
        foreach (var x in values)
        {
            if (!double.IsFinite(x))
                continue;
            n++;
            var delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }

        if (n == 0)
            return (0, 0);
        var std = n > 1 ? Math.Sqrt(m2 / (n - 1)) : 0;
        // Spread at rounding level is a constant column in disguise.
        return (mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 0);
    }
}

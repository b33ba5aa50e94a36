namespace Fleet.Monitoring.Tests;

/// <summary>Small helpers the tests use to show what the detectors do not see.</summary>
internal static class Statistics
{
    public static double Mean(IEnumerable<double> values) => values.Average();

    public static double Std(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs.</summary>
    public static double KolmogorovSmirnov(IEnumerable<double> a, IEnumerable<double> b)
    {
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v)
                i++;
            while (j < y.Length && y[j] <= v)
                j++;
            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }

        return d;
    }

    /// <summary>The KS statistic's critical value at level 0.01 (asymptotic): c(α)·√((n + m)/(n·m)), c = 1.628.</summary>
    public static double KolmogorovSmirnovCritical01(int n, int m) => 1.628 * Math.Sqrt((double)(n + m) / ((double)n * m));
}

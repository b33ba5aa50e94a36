namespace Fleet.Monitoring.Quality;

/// <summary>
/// scikit-learn's IsotonicRegression(increasing=True, y_min=0, y_max=1) fit, step for step so that the
/// thresholds agree to rounding: sort by (x, y), average y over x closer than 1e-15, weighted
/// pool-adjacent-violators, clip to [0, 1], drop interior points of flat runs.
/// </summary>
internal static class IsotonicFit
{
    // numpy's finfo(float64).resolution, sklearn's tolerance for equal x.
    private const double TieTolerance = 1e-15;

    public static (double[] X, double[] Y) Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var order = Enumerable.Range(0, x.Length).ToArray();
        var xs = x.ToArray();
        var ys = y.ToArray();
        Array.Sort(order, (a, b) => xs[a] != xs[b] ? xs[a].CompareTo(xs[b]) : ys[a].CompareTo(ys[b]));

        var (uniqueX, uniqueY, weights) = MakeUnique(order.Select(i => xs[i]).ToArray(), order.Select(i => ys[i]).ToArray());
        PoolAdjacentViolators(uniqueY, weights);
        for (var i = 0; i < uniqueY.Length; i++)
            uniqueY[i] = Math.Clamp(uniqueY[i], 0, 1);
        return TrimFlatRuns(uniqueX, uniqueY);
    }

    private static (double[] X, double[] Y, double[] W) MakeUnique(double[] x, double[] y)
    {
        var ux = new List<double>();
        var uy = new List<double>();
        var uw = new List<double>();
        var currentX = x[0];
        double sumY = 0, sumW = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] - currentX >= TieTolerance)
            {
                ux.Add(currentX);
                uy.Add(sumY / sumW);
                uw.Add(sumW);
                currentX = x[i];
                sumY = 0;
                sumW = 0;
            }

            sumY += y[i];
            sumW += 1;
        }

        ux.Add(currentX);
        uy.Add(sumY / sumW);
        uw.Add(sumW);
        return ([.. ux], [.. uy], [.. uw]);
    }

    /// <summary>sklearn's _inplace_contiguous_isotonic_regression: single pass with backtracking, O(n).</summary>
    private static void PoolAdjacentViolators(double[] y, double[] w)
    {
        var n = y.Length;
        var target = Enumerable.Range(0, n).ToArray(); // first index of a block -> its last, and back
        var i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            if (k == n)
                break;
            if (y[i] < y[k])
            {
                i = k;
                continue;
            }

            var sumWy = w[i] * y[i];
            var sumW = w[i];
            while (true)
            {
                var previous = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || previous < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0)
                        i = target[i - 1];
                    break;
                }
            }
        }

        i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            for (var j = i + 1; j < k; j++)
                y[j] = y[i];
            i = k;
        }
    }

    private static (double[] X, double[] Y) TrimFlatRuns(double[] x, double[] y)
    {
        var keepX = new List<double>();
        var keepY = new List<double>();
        for (var i = 0; i < y.Length; i++)
        {
            var interior = i > 0 && i < y.Length - 1 && y[i] == y[i - 1] && y[i] == y[i + 1];
            if (!interior)
            {
                keepX.Add(x[i]);
                keepY.Add(y[i]);
            }
        }

        return ([.. keepX], [.. keepY]);
    }
}

namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Pr(D_n &lt;= x) by Pomeranz's (1974) recursion: 2n + 1 rows, each the previous one convolved with
/// truncated Poisson weights, keeping only the band of entries that can be non-zero. SciPy uses it for
/// n &lt;= 140 and moderate n x^2.
/// </summary>
internal static class Pomeranz
{
    private const int ScaleExponent = 128;
    private static readonly double s_scaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double s_scaleDown = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilF = f > 0 ? 1 : 0;
        var roundF = f > 0.5 ? 1 : 0;
        var powerCount = 2 * (ll + 1);

        // Poisson weights without the normalising factor: (g/n)^k/k!, (2g/n)^k/k!, ((1-2g)/n)^k/k!.
        var gPower = new double[powerCount];
        var twoGPower = new double[powerCount];
        var oneMinusTwoGPower = new double[powerCount];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        for (var k = 1; k < powerCount; k++)
        {
            gPower[k] = gPower[k - 1] * (g / n) / k;
            twoGPower[k] = twoGPower[k - 1] * (2 * g / n) / k;
            oneMinusTwoGPower[k] = oneMinusTwoGPower[k - 1] * ((1 - (2 * g)) / n) / k;
        }

        var previous = new double[powerCount];
        var current = new double[powerCount];
        var convolution = new double[2 * powerCount];
        current[0] = 1;
        int previousStart = 0, currentStart = 0, exponent = 0;
        var (j1, _) = Bounds(0, n, ll, ceilF, roundF);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (previous, current) = (current, previous);
            (previousStart, currentStart) = (currentStart, previousStart);
            Array.Clear(current);
            (j1, var j2) = Bounds(i, n, ll, ceilF, roundF);
            var weights = i == 1 || i == (2 * n) + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
            var length = j2 - k1 + 1;
            if (length <= 0)
                continue;

            // NumPy slices stop at the array's end; the convolution is over what is left.
            var from = k1 - previousStart;
            var source = previous.AsSpan(from, Math.Min(length, powerCount - from));
            var convolutionLength = Convolve(source, weights.AsSpan(0, length), convolution);
            var start = j1 - k1;
            var count = Math.Min(j2 - j1 + 1, convolutionLength - start);
            convolution.AsSpan(start, count).CopyTo(current);

            var max = Max(current);
            if (max > 0 && max < s_scaleDown)
            {
                for (var k = 0; k < current.Length; k++)
                    current[k] *= s_scaleUp;
                exponent -= ScaleExponent;
            }

            currentStart = previousStart + j1 - k1;
        }

        var answer = current[n - currentStart];
        for (var k = 1; k <= n; k++)
        {
            if (Math.Abs(answer) > s_scaleUp)
            {
                answer *= s_scaleDown;
                exponent += ScaleExponent;
            }

            answer *= k;
        }

        return Math.Clamp(Math.ScaleB(answer, exponent), 0.0, 1.0);
    }

    // First and last index of the entries of row i that can be non-zero, clipped to [0, n].
    private static (int J1, int J2) Bounds(int i, int n, int ll, int ceilF, int roundF)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundF - 1;
                    j2 = half + ll - 1 + ceilF - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundF - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    private static int Convolve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        var length = a.Length + b.Length - 1;
        result[..length].Clear();
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
                result[i + j] += a[i] * b[j];
        }

        return length;
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
            max = Math.Max(max, value);
        return max;
    }
}

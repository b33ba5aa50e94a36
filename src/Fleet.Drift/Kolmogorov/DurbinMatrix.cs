namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Pr(D_n &lt;= d) by Durbin's (1968) matrix method as Marsaglia, Tsang and Wang (2003) compute it: the
/// k-th diagonal element of H^n with H of order 2k - 1, k = ceil(n d), scaled by n!/n^n. Cost
/// O(k^3 log n); SciPy uses it only where k is small.
/// </summary>
internal static class DurbinMatrix
{
    private const int ScaleExponent = 128;
    private static readonly double s_scaleUp = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double s_scaleDown = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(int n, double d)
    {
        if (d >= 1.0)
            return 1.0;
        var nd = n * d;
        if (nd <= 0.5)
            return 0.0;
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;

        var matrix = Initial(m, h);
        var power = Identity(m);
        var scratch = new double[m * m];
        var exponent = 0;
        var matrixExponent = 0;
        for (var remaining = n; remaining > 0; remaining /= 2)
        {
            if (remaining % 2 == 1)
            {
                Multiply(power, matrix, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += matrixExponent;
            }

            if (remaining == 1)
                break;
            Multiply(matrix, matrix, scratch, m);
            (matrix, scratch) = (scratch, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[((k - 1) * m) + k - 1]) > s_scaleUp)
            {
                for (var i = 0; i < matrix.Length; i++)
                    matrix[i] *= s_scaleDown;
                matrixExponent += ScaleExponent;
            }
        }

        var p = power[((k - 1) * m) + k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < s_scaleDown)
            {
                p *= s_scaleUp;
                exponent -= ScaleExponent;
            }
        }

        return Math.Clamp(Math.ScaleB(p, exponent), 0.0, 1.0);
    }

    // H: ones-over-factorials below the superdiagonal, (1 - h^j)/j! down the first column and reversed
    // along the last row, with the corner corrected by (2h - 1)_+^m.
    private static double[] Initial(int m, double h)
    {
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * factorial;

        var matrix = new double[m * m];
        for (var column = 1; column < m; column++)
        {
            for (var row = column - 1; row < m; row++)
                matrix[(row * m) + column] = w[row - column + 1];
        }

        for (var row = 0; row < m; row++)
            matrix[row * m] = v[row];
        for (var column = 0; column < m; column++)
            matrix[((m - 1) * m) + column] = v[m - 1 - column];
        return matrix;
    }

    private static double[] Identity(int m)
    {
        var identity = new double[m * m];
        for (var i = 0; i < m; i++)
            identity[(i * m) + i] = 1.0;
        return identity;
    }

    private static void Multiply(double[] left, double[] right, double[] result, int m)
    {
        Array.Clear(result, 0, m * m);
        for (var i = 0; i < m; i++)
        {
            var resultRow = result.AsSpan(i * m, m);
            for (var k = 0; k < m; k++)
            {
                var factor = left[(i * m) + k];
                if (factor == 0)
                    continue;
                var rightRow = right.AsSpan(k * m, m);
                for (var j = 0; j < m; j++)
                    resultRow[j] += factor * rightRow[j];
            }
        }
    }
}

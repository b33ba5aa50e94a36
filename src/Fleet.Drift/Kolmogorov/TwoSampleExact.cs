using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fleet.Drift.Kolmogorov;

/// <summary>
/// Exact two-sided p-value Pr(D_{m,n} >= h / lcm(m, n)) of the two-sample Kolmogorov-Smirnov statistic
/// under the null, by counting lattice paths (Hodges 1958, after Drion, Gnedenko and Korolyuk). These are
/// the algorithms SciPy 1.10's <c>ks_2samp</c> uses when both samples have at most 10,000 values.
/// </summary>
internal static class TwoSampleExact
{
    /// <summary>
    /// Equal sizes (SciPy's <c>_compute_prob_outside_square</c>): Pr(D_{n,n} >= h/n)
    /// = 2 (C(2n, n-h) - C(2n, n-2h) + ...) / C(2n, n), summed as a Horner-like product to avoid
    /// cancellation. Where the result is within 1e-9 of 1 it is recomputed with SciPy's operations in
    /// SciPy's order, bit for bit: there SciPy's sum can round above 1, which sends ks_2samp to the
    /// asymptotic p-value, and the caller must see the same value to do the same.
    /// </summary>
    public static double OutsideSquare(int n, int h)
    {
        var fast = OutsideSquareFast(n, h);
        return fast > 1 - 1e-9 ? OutsideSquareAsScipy(n, h) : fast;
    }

    internal static double OutsideSquareAsScipy(int n, int h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
        {
            var p1 = 1.0;
            for (var j = 0; j < h; j++)
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            p = p1 * (1.0 - p);
        }

        return 2 * p;
    }

    // The same sum with each factor's division off the multiplication chain, four factors at a time.
    private static double OutsideSquareFast(int n, int h)
    {
        var p = 0.0;
        for (var k = n / h; k >= 0; k--)
            p = RatioProduct(n - (k * h), n + (k * h) + 1, h) * (1.0 - p);
        return 2 * p;
    }

    // prod_{j < count} (numerator - j) / (denominator + j)
    private static double RatioProduct(int numerator, int denominator, int count)
    {
        var product = 1.0;
        var j = 0;
        if (Vector256.IsHardwareAccelerated && count >= 8)
        {
            var lanes = Vector256.Create(0.0, 1, 2, 3);
            var numerators = Vector256.Create((double)numerator) - lanes;
            var denominators = Vector256.Create((double)denominator) + lanes;
            var four = Vector256.Create(4.0);
            var products = Vector256<double>.One;
            for (; j + 4 <= count; j += 4)
            {
                products *= numerators / denominators;
                numerators -= four;
                denominators += four;
            }

            product = products[0] * products[1] * (products[2] * products[3]);
        }

        for (; j < count; j++)
            product *= (numerator - j) / (double)(denominator + j);
        return product;
    }

    /// <summary>
    /// Unequal sizes (SciPy's <c>_compute_outer_prob_inside_method</c>): walks the lattice column by column
    /// keeping only the band |x/m - y/n| &lt; h/lcm, with Viehmann's (2021, arXiv:2102.08037) recursion
    /// that carries the probability of having left the band, so tiny p-values keep their precision.
    /// Cost O(m * band width): this dominates KS for unequal sizes. Divisions are replaced by a reciprocal
    /// table, the coefficients computed and the serial recurrence composed four rows at a time; that changes results by a few ulps only.
    /// </summary>
    public static double InsideMethod(int m, int n, int g, long h)
    {
        if (m < n)
            (m, n) = (n, m);
        long mg = m / g;
        long ng = n / g;

        // Column i keeps rows [minJ, maxJ): minJ = floor((ng i - h) / mg) + 1, maxJ = ceil((ng i + h) / mg).
        var lowerEdge = new SteppedFloor(ng, -h, mg);
        var upperEdge = new SteppedFloor(ng, h + mg - 1, mg);
        var minJ = 0;
        var maxJ = (int)Math.Min(upperEdge.Current, n + 1);
        var currentLength = maxJ - minJ;
        var lengthA = Math.Min((2 * maxJ) + 2, n + 1);
        var a = ArrayPool<double>.Shared.Rent(lengthA);
        var reciprocals = ArrayPool<double>.Shared.Rent(m + n + 1);
        var c = ArrayPool<double>.Shared.Rent(lengthA);
        var t = ArrayPool<double>.Shared.Rent(lengthA);
        try
        {
            for (var k = 1; k <= m + n; k++)
                reciprocals[k] = 1.0 / k;
            a.AsSpan(0, lengthA).Fill(1.0);
            a.AsSpan(minJ, maxJ - minJ).Clear();
            for (var i = 1; i <= m; i++)
            {
                var lastMinJ = minJ;
                var lastLength = currentLength;
                minJ = (int)Math.Min(Math.Max(lowerEdge.Next() + 1, 0), n);
                maxJ = (int)Math.Min(upperEdge.Next(), n + 1);
                if (maxJ <= minJ)
                    return 1.0;

                currentLength = maxJ - minJ;
                NextColumn(a.AsSpan(0, lengthA), reciprocals.AsSpan(i + minJ, currentLength), c, t, i, minJ, minJ - lastMinJ);
                if (lastLength > currentLength)
                    a.AsSpan(currentLength, Math.Min(lastLength - currentLength, lengthA - currentLength)).Fill(1.0);
            }

            return Math.Clamp(a[maxJ - minJ - 1], 0.0, 1.0);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(t);
            ArrayPool<double>.Shared.Return(c);
            ArrayPool<double>.Shared.Return(reciprocals);
            ArrayPool<double>.Shared.Return(a);
        }
    }

    // val = (A[j] * i + val * j) / (i + j) = c_j val + t_j down column i, in place (A[jj] from A[jj + shift],
    // shift >= 0; rows past the stored column read the 1 beyond the band). First all c_j = j/(i+j) and
    // t_j = A[j] i/(i+j), vectorised, from the previous column; then the serial part four rows at a time, so
    // that the chain through val is one multiply-add per four rows (val_{j+1} = c_{j+1} c_j val + (c_{j+1} t_j + t_{j+1}),
    // composed twice).
    // reciprocals[jj] = 1 / (i + minJ + jj).
    private static void NextColumn(Span<double> column, ReadOnlySpan<double> reciprocals, Span<double> c, Span<double> t, int i, int minJ, int shift)
    {
        var length = reciprocals.Length;
        if (length > column.Length)
            throw new InvalidOperationException($"band of {length} rows in a column of {column.Length}");
        ref var a = ref MemoryMarshal.GetReference(column);
        ref var r = ref MemoryMarshal.GetReference(reciprocals);
        ref var rc = ref MemoryMarshal.GetReference(c);
        ref var rt = ref MemoryMarshal.GetReference(t);
        var readable = Math.Min(length, column.Length - shift);
        double di = i;
        var jj = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var rows = Vector256.Create(0.0, 1, 2, 3) + Vector256.Create((double)minJ);
            var four = Vector256.Create(4.0);
            var iv = Vector256.Create(di);
            for (; jj + 4 <= readable; jj += 4)
            {
                var rj = Vector256.LoadUnsafe(ref r, (nuint)jj);
                (rows * rj).StoreUnsafe(ref rc, (nuint)jj);
                (Vector256.LoadUnsafe(ref a, (nuint)(jj + shift)) * (iv * rj)).StoreUnsafe(ref rt, (nuint)jj);
                rows += four;
            }
        }

        for (; jj < length; jj++)
        {
            var rj = Unsafe.Add(ref r, jj);
            Unsafe.Add(ref rc, jj) = (jj + minJ) * rj;
            Unsafe.Add(ref rt, jj) = (jj < readable ? Unsafe.Add(ref a, jj + shift) : 1.0) * (di * rj);
        }

        var value = minJ == 0 ? 0.0 : 1.0;
        jj = 0;
        for (; jj + 3 < length; jj += 4)
        {
            double c0 = Unsafe.Add(ref rc, jj), c1 = Unsafe.Add(ref rc, jj + 1), c2 = Unsafe.Add(ref rc, jj + 2), c3 = Unsafe.Add(ref rc, jj + 3);
            double t0 = Unsafe.Add(ref rt, jj), t1 = Unsafe.Add(ref rt, jj + 1), t2 = Unsafe.Add(ref rt, jj + 2), t3 = Unsafe.Add(ref rt, jj + 3);
            var c01 = c1 * c0;
            var t01 = Math.FusedMultiplyAdd(c1, t0, t1);
            var c23 = c3 * c2;
            var t23 = Math.FusedMultiplyAdd(c3, t2, t3);
            Unsafe.Add(ref a, jj) = Math.FusedMultiplyAdd(c0, value, t0);
            var v1 = Math.FusedMultiplyAdd(c01, value, t01);
            Unsafe.Add(ref a, jj + 1) = v1;
            Unsafe.Add(ref a, jj + 2) = Math.FusedMultiplyAdd(c2, v1, t2);
            value = Math.FusedMultiplyAdd(c23 * c01, value, Math.FusedMultiplyAdd(c23, t01, t23));
            Unsafe.Add(ref a, jj + 3) = value;
        }

        for (; jj < length; jj++)
        {
            value = Math.FusedMultiplyAdd(Unsafe.Add(ref rc, jj), value, Unsafe.Add(ref rt, jj));
            Unsafe.Add(ref a, jj) = value;
        }
    }

    /// <summary>floor((step i + offset) / divisor) for i = 0, 1, 2, ... by carries instead of a division per column.</summary>
    private struct SteppedFloor
    {
        private readonly long _step;
        private readonly long _divisor;
        private long _remainder;

        public SteppedFloor(long step, long offset, long divisor)
        {
            _step = step;
            _divisor = divisor;
            Current = offset >= 0 ? offset / divisor : -((-offset + divisor - 1) / divisor);
            _remainder = offset - (Current * divisor);
        }

        public long Current { get; private set; }

        public long Next()
        {
            _remainder += _step;
            while (_remainder >= _divisor)
            {
                _remainder -= _divisor;
                Current++;
            }

            return Current;
        }
    }
}

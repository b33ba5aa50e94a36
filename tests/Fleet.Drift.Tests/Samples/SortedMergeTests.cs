using Fleet.Drift.Kolmogorov;
using Fleet.Drift.Samples;

namespace Fleet.Drift.Tests.Samples;

/// <summary>The merge kernels against the definitions evaluated naively, on tie-heavy random samples.</summary>
public sealed class SortedMergeTests
{
    [Fact]
    public void Max_cross_is_the_largest_ecdf_gap_at_any_sample_value()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 500; trial++)
        {
            var a = Draw(random, random.Next(1, 60), levels: random.Next(1, 12));
            var b = Draw(random, random.Next(1, 60), levels: random.Next(1, 12));

            Assert.Equal(NaiveMaxCross(a, b), SortedMerge.MaxCross(a, b));
            Assert.Equal(NaiveMaxCross(b, a), SortedMerge.MaxCross(b, a));
        }
    }

    [Fact]
    public void Wasserstein_is_the_integral_of_the_ecdf_gap()
    {
        var random = new Random(4);
        for (var trial = 0; trial < 500; trial++)
        {
            var a = Draw(random, random.Next(1, 60), levels: random.Next(1, 12));
            var b = Draw(random, random.Next(1, 60), levels: random.Next(1, 12));

            Assert.Equal(NaiveWasserstein(a, b), SortedMerge.Wasserstein(a, b), 1e-12);
        }
    }

    [Fact]
    public void The_fast_equal_size_p_value_agrees_with_scipys_operation_order()
    {
        foreach (var n in new[] { 7, 100, 999, 10_000 })
        {
            foreach (var h in new[] { 1, 2, n / 50, n / 10, n / 3, n - 1, n })
            {
                if (h < 1)
                    continue;
                var asScipy = TwoSampleExact.OutsideSquareAsScipy(n, h);
                Assert.Equal(asScipy, TwoSampleExact.OutsideSquare(n, h), Math.Max(1e-12 * asScipy, 1e-300));
            }
        }
    }

    // Sorted integers from 0 to levels - 1: few levels make long tie runs within and across the samples.
    private static double[] Draw(Random random, int count, int levels) =>
        [.. Enumerable.Range(0, count).Select(_ => (double)random.Next(levels)).Order()];

    private static long NaiveMaxCross(double[] a, double[] b) =>
        a.Concat(b).Max(x => Math.Abs(((long)a.Count(v => v <= x) * b.Length) - ((long)b.Count(v => v <= x) * a.Length)));

    private static double NaiveWasserstein(double[] a, double[] b)
    {
        var points = a.Concat(b).Distinct().Order().ToArray();
        var sum = 0.0;
        for (var k = 0; k + 1 < points.Length; k++)
        {
            var gap = Math.Abs(((double)a.Count(v => v <= points[k]) / a.Length) - ((double)b.Count(v => v <= points[k]) / b.Length));
            sum += gap * (points[k + 1] - points[k]);
        }

        return sum;
    }
}

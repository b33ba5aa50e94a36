using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fleet.Drift.Samples;

/// <summary>
/// One pass over two ascending samples in merged order, evaluating the empirical CDFs only where the value
/// changes (after a run of ties on both sides), which is where SciPy's <c>searchsorted(side='right')</c>
/// evaluates them. The steps are branch-free (which side advances is data, not control flow) and without
/// bounds checks: a merge of random data mispredicts half its branches otherwise.
/// </summary>
internal static class SortedMerge
{
    /// <summary>
    /// max |i n2 - j n1| over the merged sample: the KS statistic times n1 n2, exactly. The merge is split at
    /// the first occurrence of a's median value into a lower and an upper stretch whose steps interleave:
    /// two independent dependency chains run about twice as fast as one.
    /// </summary>
    public static long MaxCross(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length, n2 = b.Length;
        var pivot = a[n1 / 2];
        int midA = SampleMath.CountBelow(a, pivot), midB = SampleMath.CountBelow(b, pivot);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        long up = n2, down = n1, step = up + down;

        // cross = i n2 - j n1 after the previous step; it counts once the next value differs from that step's.
        int i = 0, j = 0, k = midA, l = midB;
        long lowerCross = 0, upperCross = (k * up) - (l * down), lowerBest = 0, upperBest = 0;
        double lowerPrevious = double.NegativeInfinity, upperPrevious = double.NegativeInfinity;
        while (i < midA && j < midB && k < n1 && l < n2)
        {
            var va = Unsafe.Add(ref ra, i);
            var vb = Unsafe.Add(ref rb, j);
            var vc = Unsafe.Add(ref ra, k);
            var vd = Unsafe.Add(ref rb, l);
            var lowerValue = double.MinNative(va, vb);
            var upperValue = double.MinNative(vc, vd);
            lowerBest = Math.Max(lowerBest, lowerValue != lowerPrevious ? Abs(lowerCross) : 0);
            upperBest = Math.Max(upperBest, upperValue != upperPrevious ? Abs(upperCross) : 0);
            var lowerTakesA = va <= vb ? 1 : 0;
            var upperTakesA = vc <= vd ? 1 : 0;
            i += lowerTakesA;
            j += 1 - lowerTakesA;
            k += upperTakesA;
            l += 1 - upperTakesA;
            lowerCross += (lowerTakesA * step) - down;
            upperCross += (upperTakesA * step) - down;
            lowerPrevious = lowerValue;
            upperPrevious = upperValue;
        }

        var lower = Finish(ref ra, ref rb, i, j, midA, midB, n1, n2, lowerCross, lowerPrevious, lowerBest);
        var upper = Finish(ref ra, ref rb, k, l, n1, n2, n1, n2, upperCross, upperPrevious, upperBest);
        return Math.Max(lower, upper);
    }

    // Merges a stretch a[i..endA), b[j..endB) on until one side is used up; the other side's rest moves
    // i n2 - j n1 linearly, so its extremes are at the end of the current tie run and at the stretch's end
    // (a valid evaluation point: every later value is larger).
    private static long Finish(ref double ra, ref double rb, int i, int j, int endA, int endB, int n1, int n2, long cross, double previous, long best)
    {
        long up = n2, down = n1;
        while (i < endA && j < endB)
        {
            var va = Unsafe.Add(ref ra, i);
            var vb = Unsafe.Add(ref rb, j);
            var value = double.MinNative(va, vb);
            best = Math.Max(best, value != previous ? Abs(cross) : 0);
            var takeA = va <= vb ? 1 : 0;
            i += takeA;
            j += 1 - takeA;
            cross += (takeA * (up + down)) - down;
            previous = value;
        }

        while (i < endA && Unsafe.Add(ref ra, i) == previous)
            i++;
        while (j < endB && Unsafe.Add(ref rb, j) == previous)
            j++;
        var here = Abs((i * up) - (j * down));
        var end = Abs((endA * up) - (endB * down));
        return Math.Max(best, Math.Max(here, end));
    }

    /// <summary>
    /// Wasserstein-1 distance between the two empirical distributions: the integral of |F_a - F_b|, as
    /// SciPy's <c>wasserstein_distance</c> sums it (CDF difference times the gap to the next value).
    /// </summary>
    public static double Wasserstein(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n1 = a.Length, n2 = b.Length;
        double size1 = n1, size2 = n2;
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        int i = 0, j = 0;
        var sum = 0.0;
        var previous = double.MinNative(a[0], b[0]);
        var gap = 0.0;

        // |F_a - F_b| after the previous step, times the distance to this step's value (0 inside tie runs).
        while (i < n1 && j < n2)
        {
            var va = Unsafe.Add(ref ra, i);
            var vb = Unsafe.Add(ref rb, j);
            var value = double.MinNative(va, vb);
            sum += gap * (value - previous);
            var takeA = va <= vb ? 1 : 0;
            i += takeA;
            j += 1 - takeA;
            gap = Math.Abs((i / size1) - (j / size2));
            previous = value;
        }

        for (; i < n1; i++)
        {
            var value = Unsafe.Add(ref ra, i);
            sum += gap * (value - previous);
            gap = Math.Abs(((i + 1) / size1) - 1.0);
            previous = value;
        }

        for (; j < n2; j++)
        {
            var value = Unsafe.Add(ref rb, j);
            sum += gap * (value - previous);
            gap = Math.Abs(1.0 - ((j + 1) / size2));
            previous = value;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Abs(long value)
    {
        var sign = value >> 63;
        return (value ^ sign) - sign;
    }
}

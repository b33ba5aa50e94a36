namespace Fleet.Drift.Samples;

/// <summary>Small helpers over samples: missing-value filtering, sortedness, searching and moments.</summary>
internal static class SampleMath
{
    /// <summary>Copies the finite values of <paramref name="values"/> to the start of <paramref name="destination"/>; returns how many.</summary>
    public static int CopyFinite(ReadOnlySpan<double> values, Span<double> destination)
    {
        var count = 0;
        foreach (var value in values)
        {
            if (double.IsFinite(value))
                destination[count++] = value;
        }

        return count;
    }

    public static int CountFinite(ReadOnlySpan<double> values)
    {
        var count = 0;
        foreach (var value in values)
            count += double.IsFinite(value) ? 1 : 0;
        return count;
    }

    /// <summary>True when the values ascend and none is NaN.</summary>
    public static bool IsSortedWithoutNaN(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            return true;
        if (double.IsNaN(values[0]))
            return false;
        for (var i = 1; i < values.Length; i++)
        {
            // A false comparison also catches NaN.
            if (!(values[i - 1] <= values[i]))
                return false;
        }

        return true;
    }

    /// <summary>Number of values below <paramref name="bound"/> in an ascending sample.</summary>
    public static int CountBelow(ReadOnlySpan<double> sorted, double bound)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (sorted[middle] < bound)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    public static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
            sum += value;
        return sum / values.Length;
    }

    /// <summary>Population standard deviation (NumPy's <c>np.std</c>, ddof = 0), two-pass.</summary>
    public static double PopulationStd(ReadOnlySpan<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            var deviation = value - mean;
            sum += deviation * deviation;
        }

        return Math.Sqrt(sum / values.Length);
    }
}

namespace Fleet.Guardrails;

/// <summary>Order statistics for contract inference (off the hot path: sorts a copy).</summary>
internal static class OrderStatistics
{
    /// <summary>Median of the sorted values (mean of the two middle ones for an even count); NaN when empty.</summary>
    public static double MedianOfSorted(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Median absolute deviation from <paramref name="median"/>, unscaled.</summary>
    public static double Mad(ReadOnlySpan<double> values, double median)
    {
        var deviations = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - median);
        }

        Array.Sort(deviations);
        return MedianOfSorted(deviations);
    }

    /// <summary>Widens [min, max] by margin × (max − min) on each side; by margin × max(|value|, 1) when the range is one point.</summary>
    public static (double Min, double Max) Widen(double min, double max, double margin)
    {
        var pad = max > min ? margin * (max - min) : margin * Math.Max(Math.Abs(min), 1);
        return (min - pad, max + pad);
    }
}

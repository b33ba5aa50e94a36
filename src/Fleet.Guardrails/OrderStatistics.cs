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

    /// <summary>Bounds never move by this factor or more: a value 10x the reference maximum or a tenth of its minimum is always out.</summary>
    public const double MaxFactor = 3;

    /// <summary>
    /// The accepted range of a column observed in [<paramref name="min"/>, <paramref name="max"/>], respecting its
    /// sign and scale:
    /// <list type="bullet">
    /// <item>strictly positive (a price, an area): each bound is the wider of the linear margin and the log-scale
    /// one (min / f, max × f with f = (max / min)^margin, 1 + margin for one point), but the lower bound never below
    /// min / <see cref="MaxFactor"/> and the upper never above max × <see cref="MaxFactor"/>: heavy-tailed positive
    /// features keep a proportional margin, nothing the old linear range accepted inside [min / 3, 3 × max] is
    /// refused, and a unit change (÷100, ×10) or a negative value falls outside;</item>
    /// <item>never negative with zeros (a count): [0, max + margin × (max − min)]: a negative value is out;</item>
    /// <item>with negative values (standardised data): margin × (max − min) on each side; margin × max(|value|, 1)
    /// when the range is one point.</item>
    /// </list>
    /// </summary>
    public static (double Min, double Max) Widen(double min, double max, double margin)
    {
        var pad = max > min ? margin * (max - min) : margin * Math.Max(Math.Abs(min), 1);
        if (min > 0)
        {
            var factor = max > min ? Math.Pow(max / min, margin) : 1 + margin;
            return (Math.Max(min / MaxFactor, Math.Min(min - pad, min / factor)), Math.Min(max * MaxFactor, Math.Max(max + pad, max * factor)));
        }

        return min == 0 ? (0, max + pad) : (min - pad, max + pad);
    }
}

namespace Fleet.Drift;

/// <summary>Infers how a feature should be compared when its schema does not say.</summary>
public static class FeatureKinds
{
    /// <summary>Distinct non-missing values above which a feature is numeric (Evidently's rule).</summary>
    public const int MaxCategoricalDistinct = 5;

    /// <summary>
    /// Numeric when the values hold more than <see cref="MaxCategoricalDistinct"/> distinct non-NaN values,
    /// otherwise categorical (flags, small enumerations, class ids).
    /// </summary>
    public static FeatureKind Infer(ReadOnlySpan<double> values)
    {
        Span<double> seen = stackalloc double[MaxCategoricalDistinct];
        var distinct = 0;
        foreach (var value in values)
        {
            if (double.IsNaN(value) || seen[..distinct].Contains(value))
                continue;
            if (distinct == MaxCategoricalDistinct)
                return FeatureKind.Numeric;
            seen[distinct++] = value;
        }

        return FeatureKind.Categorical;
    }
}

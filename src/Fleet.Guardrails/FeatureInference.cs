using Fleet.Abstractions.Contracts;
using Fleet.Inference.Onnx;

namespace Fleet.Guardrails;

/// <summary>Per-feature rules from a reference column: widened range, missing allowed, category set, median and MAD.</summary>
internal static class FeatureInference
{
    public static FeatureRule[] Infer(TensorSignature input, ReferenceData reference, ContractInferenceOptions options)
    {
        var width = input.Shape[1];
        if (width >= 0 && width != reference.FeatureCount)
        {
            throw new ContractException($"reference: {reference.FeatureCount} feature columns, input '{input.Name}' has {width} features");
        }

        var rules = new FeatureRule[reference.FeatureCount];
        var column = new double[reference.RowCount];
        for (var f = 0; f < rules.Length; f++)
        {
            var present = 0;
            for (var r = 0; r < reference.RowCount; r++)
            {
                var value = reference.Values[(r * reference.FeatureCount) + f];
                if (!double.IsNaN(value))
                {
                    column[present++] = value;
                }
            }

            rules[f] = Rule(f, reference.FeatureNames[f], column.AsSpan(0, present), present < reference.RowCount, options);
        }

        return rules;
    }

    /// <summary>
    /// <paramref name="values"/> are the column's non-missing values (sorted in place). A column with none gets no
    /// range and median/MAD 0: nothing is known about it.
    /// </summary>
    internal static FeatureRule Rule(int index, string name, Span<double> values, bool anyMissing, ContractInferenceOptions options)
    {
        if (values.IsEmpty)
        {
            return new FeatureRule(index, name, null, null, true, null, 0, 0);
        }

        values.Sort();
        var (min, max) = OrderStatistics.Widen(values[0], values[^1], options.RangeMargin);
        var median = OrderStatistics.MedianOfSorted(values);
        return new FeatureRule(index, name, min, max, anyMissing, Categories(values, options.MaxCategories), median, OrderStatistics.Mad(values, median));
    }

    /// <summary>Distinct codes of an all-integer column with 2..max distinct values, else null.</summary>
    private static long[]? Categories(ReadOnlySpan<double> sorted, int max)
    {
        var codes = new List<long>();
        foreach (var value in sorted)
        {
            if (value != Math.Floor(value) || Math.Abs(value) > 1e15)
            {
                return null;
            }

            if (codes.Count == 0 || codes[^1] != (long)value)
            {
                if (codes.Count == max)
                {
                    return null;
                }

                codes.Add((long)value);
            }
        }

        return codes.Count >= 2 ? [.. codes] : null;
    }
}

namespace Fleet.Drift.Samples;

/// <summary>Category codes of an ascending sample and their counts, aligned with a reference's categories.</summary>
internal static class Categories
{
    /// <summary>The distinct values of an ascending sample and how often each occurs.</summary>
    public static (double[] Values, long[] Counts) Distinct(ReadOnlySpan<double> sorted)
    {
        var values = new List<double>();
        var counts = new List<long>();
        foreach (var value in sorted)
        {
            if (values.Count > 0 && values[^1] == value)
                counts[^1]++;
            else
            {
                values.Add(value);
                counts.Add(1);
            }
        }

        return ([.. values], [.. counts]);
    }

    /// <summary>
    /// Counts an ascending current sample against the reference's ascending categories. Returns the union's
    /// counts, reference categories first (in their order) then categories unseen in the reference (ascending):
    /// the reference row is padded with zeros for those.
    /// </summary>
    public static (long[] Reference, long[] Current) Align(ReadOnlySpan<double> categories, ReadOnlySpan<long> referenceCounts, ReadOnlySpan<double> sortedCurrent)
    {
        var current = new long[categories.Length];
        List<long>? unseen = null;
        var k = 0;
        var i = 0;
        while (i < sortedCurrent.Length)
        {
            var value = sortedCurrent[i];
            var run = 1;
            while (i + run < sortedCurrent.Length && sortedCurrent[i + run] == value)
                run++;
            while (k < categories.Length && categories[k] < value)
                k++;
            if (k < categories.Length && categories[k] == value)
                current[k] += run;
            else
                (unseen ??= []).Add(run);
            i += run;
        }

        if (unseen is null)
            return (referenceCounts.ToArray(), current);
        var reference = new long[categories.Length + unseen.Count];
        referenceCounts.CopyTo(reference);
        return (reference, [.. current, .. unseen]);
    }
}

namespace Fleet.Drift.Samples;

/// <summary>
/// PSI bins of a numeric feature: the reference's deciles. Edge k (k = 1..9) is the order statistic
/// sorted[floor(k n / 10)] of the reference; equal edges (ties, discrete values) merge, so there are at most
/// 10 bins. Bin b holds edge[b-1] &lt;= x &lt; edge[b], the outer bins are open (values beyond the
/// reference's range land there), as NumPy's <c>searchsorted(edges, x, side='right')</c> assigns them.
/// </summary>
internal static class PsiBins
{
    public const int Deciles = 10;

    public static double[] Edges(ReadOnlySpan<double> sortedReference)
    {
        var edges = new List<double>(Deciles - 1);
        long n = sortedReference.Length;
        for (var k = 1; k < Deciles; k++)
        {
            var edge = sortedReference[(int)(k * n / Deciles)];
            if (edges.Count == 0 || edge != edges[^1])
                edges.Add(edge);
        }

        return [.. edges];
    }

    /// <summary>Values of an ascending sample per bin; <paramref name="counts"/> has edges + 1 entries.</summary>
    public static void Count(ReadOnlySpan<double> sorted, ReadOnlySpan<double> edges, Span<long> counts)
    {
        var below = 0;
        for (var b = 0; b < edges.Length; b++)
        {
            var next = SampleMath.CountBelow(sorted, edges[b]);
            counts[b] = next - below;
            below = next;
        }

        counts[edges.Length] = sorted.Length - below;
    }
}

namespace Fleet.Statistics.Tests;

/// <summary>Exact answers to compare sketches with (the seeded samplers live in Fleet.Testing's <c>Seeded</c>).</summary>
internal static class Samples
{
    /// <summary>The sorted sample at the sketch's rank convention: 0-based rank floor(q·(n−1)).</summary>
    public static double Exact(double[] sorted, double q) => sorted[(long)Math.Floor(q * (sorted.Length - 1))];
}

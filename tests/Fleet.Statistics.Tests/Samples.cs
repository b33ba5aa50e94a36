namespace Fleet.Statistics.Tests;

/// <summary>Seeded sample generators (Box–Muller for the normal), so every test sees the same numbers.</summary>
internal static class Samples
{
    public static double Normal(Random random, double mean, double sd)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: log is finite
        var u2 = random.NextDouble();
        return mean + (sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    public static double LogNormal(Random random, double mu, double sigma) => Math.Exp(Normal(random, mu, sigma));

    public static double Exponential(Random random, double rate) => -Math.Log(1.0 - random.NextDouble()) / rate;

    public static double[] Generate(int count, int seed, Func<Random, double> next)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = next(random);
        return values;
    }

    /// <summary>The sorted sample at the sketch's rank convention: 0-based rank floor(q·(n−1)).</summary>
    public static double Exact(double[] sorted, double q) => sorted[(long)Math.Floor(q * (sorted.Length - 1))];
}

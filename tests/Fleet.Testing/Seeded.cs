namespace Fleet.Testing;

/// <summary>Seeded samplers: every value is a pure function of the <see cref="Random"/> (or seed) given, on every machine.</summary>
public static class Seeded
{
    /// <summary>A normal draw by Box–Muller; 1 − NextDouble() is in (0, 1], so the logarithm is finite.</summary>
    public static double Normal(Random random, double mean = 0, double sd = 1)
    {
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
        return mean + (sd * radius * Math.Cos(2.0 * Math.PI * random.NextDouble()));
    }

    /// <summary>Fills an even-length span with independent standard normals, both halves of each Box–Muller pair.</summary>
    public static void NormalPairs(Random random, Span<double> normals)
    {
        if (normals.Length % 2 != 0)
            throw new ArgumentException($"{normals.Length} normals: need an even number (pairs)", nameof(normals));
        for (var i = 0; i < normals.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var (sin, cos) = Math.SinCos(2 * Math.PI * random.NextDouble());
            normals[i] = radius * cos;
            normals[i + 1] = radius * sin;
        }
    }

    /// <summary><paramref name="count"/> normal values from a fresh <c>Random(seed)</c>.</summary>
    public static double[] Normals(int seed, int count, double mean = 0, double sd = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = Normal(random, mean, sd);
        return values;
    }

    public static double LogNormal(Random random, double mu, double sigma) => Math.Exp(Normal(random, mu, sigma));

    public static double Exponential(Random random, double rate = 1) => -Math.Log(1.0 - random.NextDouble()) / rate;

    /// <summary><paramref name="count"/> values of <paramref name="next"/> from a fresh <c>Random(seed)</c>.</summary>
    public static double[] Generate(int count, int seed, Func<Random, double> next)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = next(random);
        return values;
    }
}

namespace Fleet.Drift.Tests;

/// <summary>Seeded synthetic columns: the same seed gives the same values on every run and machine.</summary>
internal static class Columns
{
    public static double[] Normal(int seed, int count, double mean = 0, double std = 1) => Seeded.Normals(seed, count, mean, std);

    /// <summary>Category codes 0, 1, 2, ... drawn with the given probabilities.</summary>
    public static double[] Categories(int seed, int count, params double[] probabilities)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var k = 0;
            while (k < probabilities.Length - 1 && u >= probabilities[k])
                u -= probabilities[k++];
            values[i] = k;
        }

        return values;
    }
}

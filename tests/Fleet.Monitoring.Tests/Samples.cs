using Fleet.Monitoring.Online;

namespace Fleet.Monitoring.Tests;

/// <summary>Seeded stream generators for the tests: every sample is a pure function of the Random it is given.</summary>
internal static class Samples
{
    public const int Columns = 20;

    public static string[] Names(int count) => Enumerable.Range(0, count).Select(c => $"f{c}").ToArray();

    public static double Normal(Random random) => Seeded.Normal(random);

    /// <summary>
    /// 20 Gaussian columns with correlation 0.7^|i − j| (neighbours strongly correlated), each with its own
    /// location and scale so that standardisation matters.
    /// </summary>
    public static void CorrelatedGaussian(Random random, double[] row)
    {
        const double rho = 0.7;
        var innovation = Math.Sqrt(1 - (rho * rho));
        Span<double> normals = stackalloc double[Columns];
        NormalPairs(random, normals);
        var z = normals[0];
        for (var c = 0; c < Columns; c++)
        {
            if (c > 0)
                z = (rho * z) + (innovation * normals[c]);
            row[c] = (10 * c) + ((1 + (0.5 * c)) * z);
        }
    }

    public static void NormalPairs(Random random, Span<double> normals) => Seeded.NormalPairs(random, normals);

    /// <summary>
    /// 20 skewed or discrete columns: 8 exponential sharing a common exponential factor (correlated, right
    /// skewed), 6 Poisson(1.5) counts, 5 categorical codes 0..3 with probabilities 0.6/0.25/0.1/0.05 and one
    /// exponential column missing (NaN) 10% of the time.
    /// </summary>
    public static void Skewed(Random random, double[] row)
    {
        var shared = Exponential(random);
        for (var c = 0; c < 8; c++)
            row[c] = Exponential(random) + (0.5 * shared);
        for (var c = 8; c < 14; c++)
            row[c] = Poisson(random, 1.5);
        for (var c = 14; c < 19; c++)
        {
            var u = random.NextDouble();
            row[c] = u < 0.6 ? 0 : u < 0.85 ? 1 : u < 0.95 ? 2 : 3;
        }

        row[19] = random.NextDouble() < 0.1 ? double.NaN : Exponential(random);
    }

    /// <summary>Column-major sample of <paramref name="rows"/> rows, as <see cref="SequentialDetector.Calibrate"/> takes it.</summary>
    public static double[][] ColumnsOf(RowSampler sampler, int columns, int rows, int seed)
    {
        var random = new Random(seed);
        var data = Enumerable.Range(0, columns).Select(_ => new double[rows]).ToArray();
        var row = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            sampler(random, row);
            for (var c = 0; c < columns; c++)
                data[c][r] = row[c];
        }

        return data;
    }

    public static double[][] RowsOf(RowSampler sampler, int columns, int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var row = new double[columns];
            sampler(random, row);
            return row;
        }).ToArray();
    }

    private static double Exponential(Random random) => -Math.Log(1 - random.NextDouble());

    private static int Poisson(Random random, double mean)
    {
        // Knuth: fine for small means.
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }
}

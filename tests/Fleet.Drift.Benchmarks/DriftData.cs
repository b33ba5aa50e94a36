namespace Fleet.Drift.Benchmarks;

/// <summary>
/// A seeded drift workload: standard normal reference columns and current columns of which a few are
/// shifted, stored column-major so that one feature's values are contiguous.
/// </summary>
internal sealed record DriftData(double[][] Reference, double[][] Current, IReadOnlyDictionary<int, double> Shifts)
{
    /// <summary>Features shifted in the current window, and by how many standard deviations.</summary>
    public static readonly IReadOnlyDictionary<int, double> DefaultShifts = new Dictionary<int, double>
    {
        [7] = 0.05, [23] = 0.1, [42] = 0.25, [61] = 0.5, [88] = 1.0,
    };

    public int Features => Reference.Length;

    public static DriftData Generate(int features, int referenceRows, int currentRows, int seed)
    {
        var random = new Random(seed);
        var reference = new double[features][];
        var current = new double[features][];
        for (var f = 0; f < features; f++)
        {
            reference[f] = Normal(random, referenceRows, 0);
            current[f] = Normal(random, currentRows, DefaultShifts.GetValueOrDefault(f));
        }

        return new DriftData(reference, current, DefaultShifts);
    }

    /// <summary>
    /// Little-endian: int32 features, reference rows, current rows; then the reference columns, then the
    /// current columns, float64 each (what the SciPy script reads with numpy.fromfile).
    /// </summary>
    public void Write(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Features);
        writer.Write(Reference[0].Length);
        writer.Write(Current[0].Length);
        foreach (var column in Reference.Concat(Current))
        {
            foreach (var value in column)
                writer.Write(value);
        }
    }

    private static double[] Normal(Random random, int count, double mean)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = Seeded.Normal(random, mean);

        return values;
    }
}

using Fleet.Drift.Samples;

namespace Fleet.Drift.Tests.Samples;

public sealed class RadixSortTests
{
    public static TheoryData<string, int> Inputs()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "normal", "missing and infinite", "signed zeros", "ties", "one binade", "timestamps", "constant", "extremes" })
        {
            foreach (var size in new[] { 0, 1, 100, 511, 512, 5_000, 20_000 })
                data.Add(kind, size);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Sorts_the_finite_values_as_introsort_does(string kind, int size)
    {
        var values = Generate(kind, size, seed: size);
        var expected = values.Where(double.IsFinite).Order().ToArray();
        var destination = new double[size];

        var count = new RadixSort().SortFinite(values, destination);

        Assert.Equal(expected.Length, count);
        Assert.Equal(expected, destination[..count]);
    }

    [Fact]
    public void One_sorter_can_be_reused_for_columns_of_any_length()
    {
        var sorter = new RadixSort();
        foreach (var size in new[] { 20_000, 700, 50_000, 3 })
        {
            var values = Generate("normal", size, seed: size);
            var destination = new double[size];

            Assert.Equal(size, sorter.SortFinite(values, destination));
            Assert.Equal(values.Order(), destination);
        }
    }

    private static double[] Generate(string kind, int size, int seed)
    {
        var random = new Random(seed);
        var values = Columns.Normal(seed, size);
        for (var i = 0; i < size; i++)
        {
            values[i] = kind switch
            {
                "missing and infinite" => (i % 7) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, _ => values[i] },
                "signed zeros" => (i % 3) switch { 0 => -0.0, 1 => 0.0, _ => values[i] },
                "ties" => Math.Round(values[i], 1),
                "one binade" => 1.0 + random.NextDouble(),
                "timestamps" => 1.7e9 + (random.Next(100) * 1e-6),
                "constant" => 42.0,
                "extremes" => (i % 4) switch { 0 => double.MaxValue, 1 => -double.MaxValue, 2 => double.Epsilon, _ => -double.Epsilon * random.Next(1, 5) },
                _ => values[i],
            };
        }

        return values;
    }
}

namespace Fleet.Statistics.Tests;

public sealed class DDSketchTests
{
    private static readonly double[] Quantiles = [0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

    public static TheoryData<string, double> Distributions()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in new[] { "uniform", "normal", "exponential", "lognormal", "constant", "two-point" })
        {
            data.Add(name, 0.01);
            data.Add(name, 0.02);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Quantiles_are_within_the_relative_accuracy_of_the_exact_order_statistic(string distribution, double alpha)
    {
        var values = Generate(distribution, 100_000);
        var sketch = new DDSketch(alpha);
        foreach (var value in values)
            sketch.Add(value);

        var sorted = values.Order().ToArray();
        foreach (var q in Quantiles)
        {
            var exact = Samples.Exact(sorted, q);
            var estimate = sketch.Quantile(q);
            Assert.True(
                Math.Abs(estimate - exact) <= alpha * Math.Abs(exact),
                $"{distribution} q={q}: estimate {estimate} vs exact {exact} (α={alpha})");
        }

        Assert.Equal(values.Length, sketch.Count);
        Assert.Equal(sorted[0], sketch.Min);
        Assert.Equal(sorted[^1], sketch.Max);
        Assert.Equal(sorted[0], sketch.Quantile(0));
        Assert.Equal(sorted[^1], sketch.Quantile(1));
        Assert.False(sketch.HasCollapsed);
    }

    [Fact]
    public void Normal_samples_span_both_stores()
    {
        var sketch = new DDSketch();
        foreach (var value in Generate("normal", 10_000))
            sketch.Add(value);

        Assert.True(sketch.Min < 0);
        Assert.True(sketch.Max > 0);
        Assert.True(sketch.Quantile(0.01) < 0);
    }

    [Fact]
    public void Zero_and_near_zero_values_go_to_the_zero_count_and_non_finite_values_are_ignored()
    {
        var sketch = new DDSketch();
        sketch.Add(0);
        sketch.Add(5e-10);
        sketch.Add(-5e-10);
        sketch.Add(double.NaN);
        sketch.Add(double.PositiveInfinity);
        sketch.Add(double.NegativeInfinity, 3);
        sketch.Add(2.0);

        Assert.Equal(4, sketch.Count);
        Assert.Equal(3, sketch.ZeroCount);
        Assert.Equal(1, sketch.BucketCount);
        Assert.Equal(-5e-10, sketch.Min);
        Assert.Equal(2.0, sketch.Max);
        Assert.Equal(2.0, sketch.Sum);
        Assert.Equal(0.0, sketch.Quantile(0.5));
        Assert.Equal(2.0, sketch.Quantile(1));
    }

    [Fact]
    public void Empty_sketch_answers_NaN_and_rejects_quantiles_outside_zero_to_one()
    {
        var sketch = new DDSketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
        Assert.True(double.IsNaN(sketch.Max));
        Assert.True(double.IsNaN(sketch.Mean));
        Assert.Equal(0, sketch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(double.NaN));
    }

    [Fact]
    public void Weighted_add_counts_each_copy()
    {
        var weighted = new DDSketch();
        var single = new DDSketch();
        weighted.Add(3.5, 4);
        weighted.Add(-1, 2);
        for (var i = 0; i < 4; i++)
            single.Add(3.5);
        single.Add(-1);
        single.Add(-1);

        Assert.Equal(single.ToData().PositiveCounts, weighted.ToData().PositiveCounts);
        Assert.Equal(single.ToData().NegativeCounts, weighted.ToData().NegativeCounts);
        Assert.Equal(6, weighted.Count);
        Assert.Equal(12, weighted.Sum);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(64)] // collapses: merging must still equal one sketch of everything
    public void Merge_equals_recording_everything_in_one_sketch(int cap)
    {
        var values = Generate("lognormal", 30_000).Select((v, i) => i % 3 == 0 ? -v : v).ToArray();
        var whole = new DDSketch(0.01, cap);
        var parts = new[] { new DDSketch(0.01, cap), new DDSketch(0.01, cap), new DDSketch(0.01, cap) };
        for (var i = 0; i < values.Length; i++)
        {
            whole.Add(values[i]);
            parts[i * 3 / values.Length].Add(values[i]);
        }

        var merged = parts[0];
        merged.Merge(parts[1]);
        merged.Merge(parts[2].ToData());

        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Sum, merged.Sum, 1e-9 * Math.Abs(whole.Sum));
        Assert.Equal(whole.ToData().PositiveCounts, merged.ToData().PositiveCounts);
        Assert.Equal(whole.ToData().NegativeCounts, merged.ToData().NegativeCounts);
        foreach (var q in Quantiles.Append(0).Append(1))
            Assert.Equal(whole.Quantile(q), merged.Quantile(q));
    }

    [Fact]
    public void Merge_refuses_a_different_accuracy()
    {
        var a = new DDSketch(0.01);
        var b = new DDSketch(0.02);
        b.Add(1);
        Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Throws<ArgumentException>(() => a.Merge(b.ToData()));
    }

    [Fact]
    public void Merging_a_sketch_into_itself_doubles_it()
    {
        var sketch = new DDSketch();
        sketch.Add(1);
        sketch.Add(-2);
        sketch.Merge(sketch);
        Assert.Equal(4, sketch.Count);
        Assert.Equal(-2, sketch.Sum);
        Assert.Equal([2L], sketch.ToData().PositiveCounts);
    }

    [Fact]
    public void ToData_and_FromData_round_trip()
    {
        var sketch = new DDSketch(0.01, 512);
        foreach (var value in Generate("normal", 20_000))
            sketch.Add(value);
        sketch.Add(0);

        var data = sketch.ToData();
        var copy = DDSketch.FromData(data);

        Assert.Equal(data.PositiveCounts, copy.ToData().PositiveCounts);
        Assert.Equal(data.NegativeCounts, copy.ToData().NegativeCounts);
        Assert.Equal(data with { PositiveCounts = [], NegativeCounts = [] }, copy.ToData() with { PositiveCounts = [], NegativeCounts = [] });
        foreach (var q in Quantiles)
            Assert.Equal(sketch.Quantile(q), copy.Quantile(q));
        Assert.Equal(sketch.BucketCount, data.BucketCount);
        Assert.Equal(data.PositiveCounts.Sum() + data.NegativeCounts.Sum() + data.ZeroCount, data.Count);
    }

    [Fact]
    public void Serialized_counts_are_dense_from_the_lowest_to_the_highest_bucket_hit()
    {
        var sketch = new DDSketch();
        sketch.Add(1.0);   // bucket 0
        sketch.Add(1.015); // bucket 1 (γ ≈ 1.0202)
        sketch.Add(1.05);  // bucket 3
        var data = sketch.ToData();
        Assert.Equal(0, data.PositiveOffset);
        Assert.Equal([1L, 1L, 0L, 1L], data.PositiveCounts);
        Assert.Empty(data.NegativeCounts);
    }

    [Fact]
    public void Empty_round_trip_and_clear()
    {
        var empty = DDSketch.FromData(new DDSketch().ToData());
        Assert.Equal(0, empty.Count);
        Assert.True(double.IsNaN(empty.Quantile(0.5)));

        var sketch = new DDSketch();
        sketch.Add(3);
        sketch.Clear();
        Assert.Equal(0, sketch.Count);
        Assert.Equal(0, sketch.BucketCount);
        sketch.Add(7);
        Assert.Equal(7, sketch.Quantile(0.5));
    }

    [Fact]
    public void FromData_rejects_counts_that_do_not_add_up()
    {
        var data = new DDSketch().ToData() with { Count = 3, PositiveCounts = [1], Min = 1, Max = 1, Sum = 1 };
        Assert.Throws<ArgumentException>(() => DDSketch.FromData(data));
    }

    [Fact]
    public void Bucket_cap_holds_over_thirty_decades_and_upper_quantiles_stay_accurate()
    {
        const double alpha = 0.01;
        const int cap = DDSketch.DefaultMaxBucketsPerSign;
        var values = Generate("thirty-decades", 1_000_000);
        var sketch = new DDSketch(alpha, cap);
        foreach (var value in values)
            sketch.Add(value);

        Assert.True(sketch.HasCollapsed);
        Assert.True(sketch.BucketCount <= cap, $"{sketch.BucketCount} buckets");
        Assert.Equal(1_000_000, sketch.Count);

        // 2048 buckets at 1% span 10^17.8: values below ~10^4.2 are folded, i.e. quantiles under ~0.41.
        var sorted = values.Order().ToArray();
        foreach (var q in new[] { 0.5, 0.75, 0.9, 0.95, 0.99, 0.999 })
        {
            var exact = Samples.Exact(sorted, q);
            Assert.True(Math.Abs(sketch.Quantile(q) - exact) <= alpha * exact, $"q={q}: {sketch.Quantile(q)} vs {exact}");
        }

        // The folded low quantiles are over-estimated (they sit in the lowest kept bucket), never below the truth.
        Assert.True(sketch.Quantile(0.01) > Samples.Exact(sorted, 0.01) * (1 + alpha));
    }

    [Fact]
    public void Bucket_cap_holds_per_sign_and_the_largest_magnitudes_stay_accurate()
    {
        const int cap = 256;
        const double alpha = 0.01;
        var values = Seeded.Generate(200_000, 7, r =>
        {
            var value = Math.Pow(10, (r.NextDouble() * 30) - 8);
            return r.Next(2) == 0 ? value : -value;
        });
        var sketch = new DDSketch(alpha, cap);
        foreach (var value in values)
            sketch.Add(value);

        var data = sketch.ToData();
        Assert.True(data.PositiveCounts.Length <= cap);
        Assert.True(data.NegativeCounts.Length <= cap);
        Assert.Equal(200_000, data.PositiveCounts.Sum() + data.NegativeCounts.Sum() + data.ZeroCount);

        // Collapsing folds the smallest magnitudes (the middle quantiles here); both tails keep α.
        var sorted = values.Order().ToArray();
        foreach (var q in new[] { 0.001, 0.01, 0.99, 0.999 })
        {
            var exact = Samples.Exact(sorted, q);
            Assert.True(Math.Abs(sketch.Quantile(q) - exact) <= alpha * Math.Abs(exact), $"q={q}: {sketch.Quantile(q)} vs {exact}");
        }
    }

    [Fact]
    public void A_jump_far_above_the_range_folds_everything_below_into_one_bucket()
    {
        var sketch = new DDSketch(0.01, 16);
        sketch.Add(1);
        sketch.Add(2);
        sketch.Add(1e10);
        var data = sketch.ToData();
        Assert.Equal(16, data.PositiveCounts.Length);
        Assert.Equal(2, data.PositiveCounts[0]);
        Assert.Equal(1, data.PositiveCounts[^1]);
        Assert.Equal(1, sketch.Quantile(0)); // clamped to the exact minimum
        Assert.Equal(1e10, sketch.Quantile(1));
    }

    private static double[] Generate(string distribution, int count) => distribution switch
    {
        "uniform" => Seeded.Generate(count, 1, r => r.NextDouble() * 100),
        "normal" => Seeded.Generate(count, 2, r => Seeded.Normal(r, 10, 20)),
        "exponential" => Seeded.Generate(count, 3, r => Seeded.Exponential(r, 0.5)),
        "lognormal" => Seeded.Generate(count, 4, r => Seeded.LogNormal(r, 0, 2.5)), // ±3σ spans 6.5 decades
        "constant" => Seeded.Generate(count, 5, _ => 42.5),
        "two-point" => Seeded.Generate(count, 6, r => r.NextDouble() < 0.7 ? 1.0 : 1000.0),
        "thirty-decades" => Seeded.Generate(count, 8, r => Math.Pow(10, (r.NextDouble() * 30) - 8)), // 1e-8 .. 1e22, above the zero threshold
        _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
    };
}

namespace Fleet.Drift.Tests;

public sealed class FeatureReferenceTests
{
    [Fact]
    public void Numeric_references_keep_sorted_finite_values_and_their_moments()
    {
        var reference = FeatureReference.Create("x", FeatureKind.Numeric, [3, double.NaN, 1, double.PositiveInfinity, 2, 2]);

        Assert.Equal(("x", FeatureKind.Numeric, 4), (reference.Name, reference.Kind, reference.Count));
        Assert.Equal([1.0, 2, 2, 3], reference.Values);
        Assert.Equal(2.0, reference.Mean);
        Assert.Equal(Math.Sqrt(0.5), reference.Std);
        Assert.Equal(6, reference.Rows);
    }

    [Fact]
    public void Categorical_references_keep_distinct_codes_with_counts_and_minus_zero_equals_zero()
    {
        var reference = FeatureReference.Create("c", FeatureKind.Categorical, [2, 0, -0.0, double.NaN, 2, 7, 2]);

        Assert.Equal(6, reference.Count);
        Assert.Equal([0.0, 2, 7], reference.Values);
        Assert.Equal([2L, 3, 1], reference.Counts);
    }

    [Fact]
    public void A_reference_without_values_is_allowed_and_always_insufficient()
    {
        var reference = FeatureReference.Create("empty", FeatureKind.Numeric, [double.NaN]);

        var report = DriftAnalyzer.Analyze([reference], [[1.0, 2.0]], new DriftSettings { MinSamples = 1 });

        Assert.Equal(0, reference.Count);
        Assert.Equal(DriftVerdict.InsufficientData, report.Features[0].Verdict);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, FeatureKind.Categorical)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5, 5, 1, double.NaN }, FeatureKind.Categorical)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5, 6 }, FeatureKind.Numeric)]
    [InlineData(new double[0], FeatureKind.Categorical)]
    public void Kinds_are_inferred_by_evidentlys_more_than_five_distinct_values_rule(double[] values, FeatureKind expected)
    {
        Assert.Equal(expected, FeatureKinds.Infer(values));
    }
}

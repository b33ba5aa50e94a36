namespace Fleet.Drift.Tests;

public sealed class OutputComparisonTests
{
    private static readonly DriftSettings Settings = new() { MinSamples = 100 };

    [Fact]
    public void A_collapse_to_one_class_fires_on_its_own_with_the_class_shares_and_entropy()
    {
        var before = Classes(200, everyOther: true);
        var check = OutputComparison.Compare("1", FeatureKind.Categorical, before, Enumerable.Repeat(1.0, 100).ToArray(), Settings)!;

        Assert.True(check.Fired);
        Assert.Equal("outputs against the previous version '1'", check.Name);
        Assert.Equal("collapsed: all 100 outputs are 1, where its last 200 took 2 distinct values (1 in 0.5 of them); class shares 1:1 (entropy 0 bits) against 0:0.5 1:0.5 (1 bits)", check.Evidence);
    }

    [Fact]
    public void The_same_class_shares_do_not_fire_and_say_so()
    {
        var check = OutputComparison.Compare("1", FeatureKind.Categorical, Classes(200, everyOther: true), Classes(100, everyOther: true), Settings)!;

        Assert.False(check.Fired);
        Assert.Equal("100 outputs against its last 200: chi2 p=1, jensen-shannon 0 (no change); class shares 0:0.5 1:0.5 (entropy 1 bits) against 0:0.5 1:0.5 (1 bits)", check.Evidence);
    }

    [Fact]
    public void Reversed_class_shares_fire_and_a_regressor_is_compared_on_its_values()
    {
        double[] mostlyOne = [.. Enumerable.Range(0, 200).Select(i => i % 4 == 0 ? 0.0 : 1.0)];
        double[] mostlyZero = [.. Enumerable.Range(0, 200).Select(i => i % 4 == 0 ? 1.0 : 0.0)];
        Assert.True(OutputComparison.Compare("1", FeatureKind.Categorical, mostlyOne, mostlyZero, Settings)!.Fired);

        var values = Enumerable.Range(0, 200).Select(i => (double)i).ToArray();
        var shifted = OutputComparison.Compare("1", FeatureKind.Numeric, values, values.Select(v => v + 150).ToArray(), Settings)!;
        Assert.True(shifted.Fired);
        Assert.StartsWith("200 outputs against its last 200: ks p=", shifted.Evidence);
        Assert.DoesNotContain("class shares", shifted.Evidence);
    }

    [Fact]
    public void A_rare_class_absent_from_a_few_hundred_rows_is_not_a_collapse()
    {
        // 1 in 1,000 positives before; 300 rows without one happen three times in four by chance (0.999^300 = 0.74).
        double[] before = [.. Enumerable.Range(0, 1000).Select(i => i == 500 ? 1.0 : 0.0)];
        var check = OutputComparison.Compare("1", FeatureKind.Categorical, before, Enumerable.Repeat(0.0, 300).ToArray(), Settings)!;

        Assert.False(check.Fired);
        Assert.DoesNotContain("collapsed", check.Evidence);
    }

    [Fact]
    public void Too_few_outputs_on_either_side_give_no_check()
    {
        Assert.Null(OutputComparison.Compare("1", FeatureKind.Categorical, Classes(99, true), Classes(200, true), Settings));
        Assert.Null(OutputComparison.Compare("1", FeatureKind.Categorical, Classes(200, true), [.. Classes(99, true), double.NaN], Settings));
    }

    private static double[] Classes(int n, bool everyOther) => [.. Enumerable.Range(0, n).Select(i => everyOther ? i % 2 : 0.0)];
}

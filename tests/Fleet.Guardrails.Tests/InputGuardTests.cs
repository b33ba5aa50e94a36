using Fleet.Abstractions.Contracts;
using Fleet.Inference.Tensors;

namespace Fleet.Guardrails.Tests;

public sealed class InputGuardTests
{
    // a: plain range [0, 100], median 5, MAD 1 (scale 1.4826); b: categories 1..3; c: missing allowed, MAD 0 (scale (1 - -2) / 6 = 0.5).
    private static readonly InputContract Contract = new(
        "input",
        [
            new FeatureRule(0, "a", 0, 100, false, null, 5, 1),
            new FeatureRule(1, "b", 0.8, 3.2, false, [3, 1, 2], 2, 1),
            new FeatureRule(2, "c", -2, 1, true, null, 0, 0),
        ],
        "test");

    private static readonly InputGuard Guard = new(Contract);

    [Theory]
    [InlineData(GuardMode.Reject, true, 1)]
    [InlineData(GuardMode.Flag, false, 1)]
    [InlineData(GuardMode.Off, false, 0)]
    public void A_value_just_above_max_follows_the_range_mode(GuardMode mode, bool reject, int violations)
    {
        var check = Guard.Check(Rows([5, 2, 0], [100.5f, 2, 0]), new InputModes { RangeMode = mode });

        Assert.Equal(reject, check.Reject);
        Assert.Equal(violations, check.ViolationCount);
        if (violations == 1)
        {
            Assert.Equal(new Violation("input", 1, 0, "a", 100.5, Rules.AboveMax, "value 100.5 is above max 100"), Assert.Single(check.Violations));
            Assert.Equal(new Dictionary<string, int> { [Rules.AboveMax] = 1 }, check.CountsByRule);
        }
    }

    [Fact]
    public void A_value_below_min_is_reported_with_the_float_the_client_sent()
    {
        var check = Guard.Check(Rows([-0.1f, 2, -2.5f]), new InputModes { RangeMode = GuardMode.Reject });

        Assert.True(check.Reject);
        Assert.Equal(
            [
                new Violation("input", 0, 0, "a", -0.1f, Rules.BelowMin, "value -0.1 is below min 0"),
                new Violation("input", 0, 2, "c", -2.5, Rules.BelowMin, "value -2.5 is below min -2"),
            ],
            check.Violations);
        Assert.Equal(new Dictionary<string, int> { [Rules.BelowMin] = 2 }, check.CountsByRule);
    }

    [Theory]
    [InlineData(GuardMode.Reject, true, 1)]
    [InlineData(GuardMode.Flag, false, 1)]
    [InlineData(GuardMode.Off, false, 0)]
    public void NaN_where_missing_is_not_allowed_follows_the_missing_mode(GuardMode mode, bool reject, int violations)
    {
        // Column c allows missing values: its NaN is never reported.
        var check = Guard.Check(Rows([float.NaN, 2, float.NaN]), new InputModes { MissingMode = mode, RangeMode = GuardMode.Reject });

        Assert.Equal(reject, check.Reject);
        Assert.Equal(violations, check.ViolationCount);
        if (violations == 1)
        {
            var violation = Assert.Single(check.Violations);
            Assert.Equal(("input", 0, 0, "a", Rules.Missing, "missing value; the feature does not allow missing values"), (violation.Input, violation.Row, violation.Column, violation.Feature, violation.Rule, violation.Detail));
            Assert.True(double.IsNaN(violation.Value));
        }
    }

    [Fact]
    public void Impute_replaces_a_missing_value_by_the_reference_median_and_reports_it_but_leaves_allowed_missing_values()
    {
        var input = Rows([float.NaN, 2, float.NaN]);

        var check = Guard.Check(input, new InputModes { MissingMode = GuardMode.Impute, RangeMode = GuardMode.Reject });

        Assert.False(check.Reject);
        var data = (float[])input.Data;
        Assert.Equal(5f, data[0]); // a's median
        Assert.True(float.IsNaN(data[2])); // c allows missing values
        var violation = Assert.Single(check.Violations);
        Assert.Equal(("a", Rules.Imputed, "missing value replaced by the reference median 5"), (violation.Feature, violation.Rule, violation.Detail));
        Assert.Equal(new Dictionary<string, int> { [Rules.Imputed] = 1 }, check.CountsByRule);
    }

    [Fact]
    public void Categories_accept_only_their_codes()
    {
        var check = Guard.Check(Rows([5, 1, 0], [5, 3, 0], [5, 2.5f, 0], [5, 4, 0], [5, 0, 0]), new InputModes { RangeMode = GuardMode.Reject });

        Assert.True(check.Reject);
        Assert.Equal([2, 3, 4], check.Violations.Select(v => v.Row));
        Assert.All(check.Violations, v => Assert.Equal(Rules.Category, v.Rule));
        Assert.Equal("value 2.5 is not one of the categories 1, 2, 3", check.Violations[0].Detail);
        Assert.Equal(new Dictionary<string, int> { [Rules.Category] = 3 }, check.CountsByRule);
    }

    [Fact]
    public void Outlier_rows_are_counted_never_rejected()
    {
        // Row 1: |20 - 5| / 1.4826 = 10.1 > 6. Row 2: |0.9 - 0| / 0.5 = 1.8. Row 3: |13 - 5| / 1.4826 = 5.4.
        var check = Guard.Check(Rows([5, 2, 0], [20, 2, 0], [5, 2, 0.9f], [13, 2, 0]), new InputModes { RangeMode = GuardMode.Reject });

        Assert.False(check.Reject);
        Assert.Equal(0, check.ViolationCount);
        Assert.Equal([1], check.OutlierRows);
        Assert.Equal(15 / 1.4826, check.MaxOutlierScore, 12);
        Assert.False(check.IsClean);
    }

    [Fact]
    public void Zero_mad_falls_back_to_a_sixth_of_the_range_and_categories_do_not_score()
    {
        // c: |0.9| / 0.5 = 1.8; b = 3 (a legal code far from the median) would score 0.67 but codes are not scored.
        var check = Guard.Check(Rows([5, 3, 0.9f]), InputModes.Default);

        Assert.Equal((double)0.9f / 0.5, check.MaxOutlierScore, 12);
        Assert.True(check.IsClean);
    }

    [Fact]
    public void Outlier_threshold_zero_turns_scoring_off()
    {
        var check = Guard.Check(Rows([99, 2, 0]), new InputModes { OutlierThreshold = 0 });

        Assert.Empty(check.OutlierRows);
        Assert.Equal(0, check.MaxOutlierScore);
    }

    [Fact]
    public void FP64_inputs_are_checked_too()
    {
        var tensor = new Tensor("input", TensorDataType.Fp64, [2, 3], new double[] { 5, 2, 0, 100.25, 2, double.NaN });

        var check = Guard.Check(tensor, InputModes.Default);

        Assert.False(check.Reject);
        Assert.Equal(new Violation("input", 1, 0, "a", 100.25, Rules.AboveMax, "value 100.25 is above max 100"), Assert.Single(check.Violations));
    }

    [Fact]
    public void Listing_stops_at_100_and_counting_goes_on()
    {
        var rows = Enumerable.Range(0, 150).Select(_ => new float[] { float.NaN, 9, 0 }).ToArray();

        var check = Guard.Check(Rows(rows), new InputModes { RangeMode = GuardMode.Flag, MissingMode = GuardMode.Flag });

        Assert.False(check.Reject);
        Assert.Equal(300, check.ViolationCount);
        Assert.Equal(100, check.Violations.Count);
        Assert.Equal(new Dictionary<string, int> { [Rules.Missing] = 150, [Rules.Category] = 150 }, check.CountsByRule);
    }

    [Fact]
    public void A_clean_check_allocates_nothing()
    {
        var tensor = Rows(Enumerable.Range(0, 64).Select(i => new float[] { i % 10, 1 + (i % 3), 0.5f }).ToArray());
        Guard.Check(tensor, InputModes.Default);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(Guard.Check(tensor, InputModes.Default).IsClean);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_or_type_is_a_caller_error()
    {
        var wide = new Tensor("input", TensorDataType.Fp32, [1, 4], new float[4]);
        var ints = new Tensor("input", TensorDataType.Int64, [1, 3], new long[3]);

        Assert.Equal("input 'input' has shape [1, 4]; the contract expects [rows, 3] (Parameter 'input')", Assert.Throws<ArgumentException>(() => Guard.Check(wide, InputModes.Default)).Message);
        Assert.Equal("input 'input' is Int64; the contract covers FP32 and FP64 inputs (Parameter 'input')", Assert.Throws<ArgumentException>(() => Guard.Check(ints, InputModes.Default)).Message);
    }

    [Fact]
    public void A_malformed_contract_is_refused_when_the_guard_is_built()
    {
        var bad = Contract with { Features = [Contract.Features[0] with { Min = 5, Max = 2 }] };

        Assert.Equal("input.features[0].min: 5 is greater than max 2", Assert.Throws<ContractException>(() => new InputGuard(bad)).Message);
    }

    private static Tensor Rows(params float[][] rows) =>
        new("input", TensorDataType.Fp32, [rows.Length, 3], rows.SelectMany(r => r).ToArray());
}

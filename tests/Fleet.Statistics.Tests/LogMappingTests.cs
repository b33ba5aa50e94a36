namespace Fleet.Statistics.Tests;

public sealed class LogMappingTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.02)]
    [InlineData(0.005)]
    public void Table_index_equals_ceil_of_log_gamma(double alpha)
    {
        var mapping = new LogMapping(alpha);
        var random = new Random(21);
        var mismatches = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var value = Math.Pow(10, (random.NextDouble() * 40) - 9);
            mismatches += mapping.ExactIndexOf(value) == mapping.IndexOf(value) ? 0 : 1;
        }

        // Values on and next to bucket boundaries, where the table must defer to Math.Log.
        for (var i = 0; i < 100_000; i++)
        {
            var boundary = Math.Exp(mapping.ExactIndexOf(Math.Pow(10, (random.NextDouble() * 40) - 9)) * Math.Log(mapping.Gamma));
            foreach (var value in new[] { boundary, Math.BitIncrement(boundary), Math.BitDecrement(boundary) })
                mismatches += mapping.ExactIndexOf(value) == mapping.IndexOf(value) ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Keys_classify_sign_zero_and_missing()
    {
        var mapping = new LogMapping(0.01);
        Assert.Equal(LogMapping.MissingKey, mapping.KeyOf(double.NaN));
        Assert.Equal(LogMapping.MissingKey, mapping.KeyOf(double.PositiveInfinity));
        Assert.Equal(LogMapping.MissingKey, mapping.KeyOf(double.NegativeInfinity));
        Assert.Equal(LogMapping.ZeroKey, mapping.KeyOf(0));
        Assert.Equal(LogMapping.ZeroKey, mapping.KeyOf(-1e-10));
        Assert.Equal(LogMapping.PositiveTag | (uint)mapping.IndexOf(5), mapping.KeyOf(5));
        Assert.Equal(LogMapping.NegativeTag | (uint)mapping.IndexOf(1e-5), mapping.KeyOf(-1e-5));
    }
}

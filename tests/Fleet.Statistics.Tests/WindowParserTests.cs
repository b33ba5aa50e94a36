namespace Fleet.Statistics.Tests;

public sealed class WindowParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1m", 60)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("24h", 86400)]
    [InlineData("1d", 86400)]
    [InlineData("90m", 5400)]
    [InlineData(" 5M ", 300)]
    public void Accepts(string text, int seconds)
    {
        Assert.True(WindowParser.TryParse(text, out var window, out var error));
        Assert.Equal(TimeSpan.FromSeconds(seconds), window);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("0m")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("1.5h")]
    [InlineData("5w")]
    [InlineData("5 m")]
    [InlineData("25h")]
    [InlineData("2d")]
    [InlineData("99999999999999999999d")]
    public void Rejects_with_a_message_naming_the_value(string? text)
    {
        Assert.False(WindowParser.TryParse(text, out var window));
        Assert.Equal(TimeSpan.Zero, window);
        Assert.False(WindowParser.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Contains($"'{text}'", error);
        Assert.Contains("s, m, h or d", error);
    }
}

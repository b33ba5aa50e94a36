using System.Globalization;

namespace Fleet.Statistics;

/// <summary>Parses the window argument of the statistics API: a positive whole number and a unit s, m, h or d, at most 24 h.</summary>
public static class WindowParser
{
    public const string Format = "a window is a positive whole number followed by s, m, h or d (e.g. 30s, 5m, 1h, 24h, 1d), at most 24h";

    private static readonly TimeSpan Longest = TimeSpan.FromHours(StatsWindows.HourSlotCount);

    public static bool TryParse(string? text, out TimeSpan window) => TryParse(text, out window, out _);

    /// <param name="error">Why <paramref name="text"/> was refused, naming the value; null on success.</param>
    public static bool TryParse(string? text, out TimeSpan window, out string? error)
    {
        window = TimeSpan.Zero;
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length < 2)
            return Fail($"'{text}': {Format}", out error);

        var unit = char.ToLowerInvariant(value[^1]);
        var number = value[..^1];
        if (!number.All(char.IsAsciiDigit) || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return Fail($"'{text}': {Format}", out error);

        TimeSpan parsed;
        try
        {
            parsed = unit switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => TimeSpan.MinValue,
            };
        }
        catch (OverflowException)
        {
            parsed = TimeSpan.MaxValue;
        }
        catch (ArgumentOutOfRangeException)
        {
            parsed = TimeSpan.MaxValue;
        }

        if (parsed == TimeSpan.MinValue)
            return Fail($"'{text}': unknown unit '{value[^1]}'; {Format}", out error);
        if (parsed > Longest)
            return Fail($"'{text}': longer than the 24h kept; {Format}", out error);

        window = parsed;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}

using System.Globalization;

namespace Fleet.Grains.Monitoring;

/// <summary>Durations in reasons, in the largest unit that fits: "45s", "1m 5s", "2h 5m", "1 day", "3 days 4h".</summary>
internal static class Durations
{
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Format(span.Negate());
        }

        var c = CultureInfo.InvariantCulture;
        if (span.TotalDays >= 1)
        {
            var days = (int)span.TotalDays;
            return string.Create(c, $"{days} {(days == 1 ? "day" : "days")}{(span.Hours > 0 ? $" {span.Hours}h" : "")}");
        }

        if (span.TotalHours >= 1)
        {
            return string.Create(c, $"{span.Hours}h{(span.Minutes > 0 ? $" {span.Minutes}m" : "")}");
        }

        if (span.TotalMinutes >= 1)
        {
            return string.Create(c, $"{span.Minutes}m{(span.Seconds > 0 ? $" {span.Seconds}s" : "")}");
        }

        return span.TotalSeconds >= 1 || span == TimeSpan.Zero
            ? string.Create(c, $"{span.Seconds}s")
            : string.Create(c, $"{span.TotalMilliseconds:0}ms");
    }
}

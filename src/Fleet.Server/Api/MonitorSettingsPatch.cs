using System.Globalization;
using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Server.Protocol;

namespace Fleet.Server.Api;

/// <summary>The drift, quality and retraining keys of <c>fleet config set</c>; each bad value is refused naming its key.</summary>
internal static class MonitorSettingsPatch
{
    public static readonly string[] Keys =
    [
        "drift_interval", "drift_window", "drift_min_samples", "drift_alpha", "drift_correction", "drift_effect", "drift_ert",
        "reference_rows", "quality_window", "quality_min_labels", "quality_tolerance", "quality_floor", "quality_max_mae", "retrain_on", "retrain_max_age", "retrain_webhook",
    ];

    public static MonitorSettings Apply(MonitorSettings s, string key, string text) => key switch
    {
        "drift_interval" => s with { DriftInterval = Span(key, text, TimeSpan.FromSeconds(1)) },
        "drift_window" => s with { DriftWindow = Int(key, text, 10, 100_000) },
        "drift_min_samples" => s with { DriftMinSamples = Int(key, text, 5, 100_000) },
        "drift_alpha" => s with { DriftAlpha = Fraction(key, text) },
        "drift_correction" => s with
        {
            DriftCorrection = DriftWords.TryParseCorrection(text, out var c) ? c
                : throw new InvalidRequestException($"{key}: '{text}' is not one of bh, bonferroni, none"),
        },
        "drift_effect" => s with { DriftEffect = Double(key, text, 0, 1) },
        "drift_ert" => s with { DriftErt = Int(key, text, 10, 1_000_000) },
        "reference_rows" => s with { ReferenceRows = Int(key, text, 50, ReferenceProfile.MaxRows) },
        "quality_window" => s with { QualityWindow = Span(key, text, TimeSpan.FromMinutes(1)) },
        "quality_min_labels" => s with { QualityMinLabels = Int(key, text, 1, 1_000_000) },
        "quality_tolerance" => s with { QualityTolerance = Double(key, text, 0, 1) },
        "quality_floor" => s with { QualityFloor = text is "" or "none" ? null : Double(key, text, 0, 1) },
        "quality_max_mae" => s with { QualityMaxMae = text is "" or "none" ? null : Double(key, text, 0, 1e12) },
        "retrain_on" => s with { RetrainOn = Triggers(key, text) },
        "retrain_max_age" => s with { RetrainMaxAge = text is "" or "none" ? null : Span(key, text, TimeSpan.FromMinutes(1)) },
        "retrain_webhook" => s with { RetrainWebhook = Webhook(key, text) },
        _ => throw new InvalidRequestException($"{key}: unknown setting"),
    };

    public static object ToJson(MonitorSettings s) => new Dictionary<string, object?>
    {
        ["drift_interval"] = Format(s.DriftInterval),
        ["drift_window"] = s.DriftWindow,
        ["drift_min_samples"] = s.DriftMinSamples,
        ["drift_alpha"] = s.DriftAlpha,
        ["drift_correction"] = s.DriftCorrection.ToWire(),
        ["drift_effect"] = s.DriftEffect,
        ["drift_ert"] = s.DriftErt,
        ["reference_rows"] = s.ReferenceRows,
        ["quality_window"] = Format(s.QualityWindow),
        ["quality_min_labels"] = s.QualityMinLabels,
        ["quality_tolerance"] = s.QualityTolerance,
        ["quality_floor"] = s.QualityFloor,
        ["quality_max_mae"] = s.QualityMaxMae,
        ["retrain_on"] = s.RetrainOn.Select(Name).ToArray(),
        ["retrain_max_age"] = s.RetrainMaxAge is { } age ? Format(age) : null,
        ["retrain_webhook"] = s.RetrainWebhook,
    };

    public static string Name(RetrainTrigger trigger) => trigger switch
    {
        RetrainTrigger.Drift => "drift",
        RetrainTrigger.Quality => "quality",
        RetrainTrigger.EstimatedQuality => "estimated_quality",
        _ => "staleness",
    };

    /// <summary>Largest whole unit: 90s stays "90s", 3600s is "1h".</summary>
    private static string Format(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";

    private static TimeSpan Span(string key, string text, TimeSpan minimum)
    {
        if (!TryParseSpan(text, out var span))
        {
            throw new InvalidRequestException($"{key}: '{text}' is not a duration such as 30s, 5m, 2h or 30d");
        }

        return span >= minimum ? span : throw new InvalidRequestException($"{key}: {text} is shorter than the minimum {Format(minimum)}");
    }

    private static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000)
        {
            return false;
        }

        span = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => default,
        };
        return span > TimeSpan.Zero;
    }

    private static int Int(string key, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InvalidRequestException($"{key}: '{text}' is not a whole number in {min}..{max}");

    private static double Double(string key, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= min && d <= max
            ? d
            : throw new InvalidRequestException($"{key}: '{text}' is not a number in {min}..{max}");

    private static double Fraction(string key, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && d < 1
            ? d
            : throw new InvalidRequestException($"{key}: '{text}' is not a probability strictly between 0 and 1");

    private static RetrainTrigger[] Triggers(string key, string text)
    {
        if (text is "" or "none")
        {
            return [];
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item => item switch
        {
            "drift" => RetrainTrigger.Drift,
            "quality" => RetrainTrigger.Quality,
            "estimated_quality" => RetrainTrigger.EstimatedQuality,
            "staleness" => RetrainTrigger.Staleness,
            _ => throw new InvalidRequestException($"{key}: '{item}' is not one of drift, quality, estimated_quality, staleness (or none)"),
        }).Distinct().ToArray();
    }

    private static string? Webhook(string key, string text)
    {
        if (text is "" or "none")
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? text
            : throw new InvalidRequestException($"{key}: '{text}' is not an http(s) URL");
    }
}

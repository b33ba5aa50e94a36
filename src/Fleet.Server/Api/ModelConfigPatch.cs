using System.Globalization;
using System.Text.Json;
using Fleet.Grains.Coordination;
using Fleet.Abstractions.Models;
using Fleet.Server.Protocol;

namespace Fleet.Server.Api;

/// <summary>
/// Applies <c>PATCH /api/v1/models/{m}/config</c>: a JSON object of keys to values, each value a string
/// (what <c>fleet config set KEY=VALUE</c> sends) or the native JSON type. Unknown keys and bad values
/// are refused whole, naming the key.
/// </summary>
internal static class ModelConfigPatch
{
    public static readonly string[] Keys = ["input_contract", "input_missing", "outlier_threshold", "fallback", "fallback_default", "replicas", "alert.for", "alert.keep_firing_for",
        "alert.latency_p99_ms", "alert.error_rate", "alert.violation_rate", "alert.fallback_rate", .. MonitorSettingsPatch.Keys];

    /// <summary>The longest <c>alert.for</c> or <c>alert.keep_firing_for</c>: beyond a day an alert is no longer news.</summary>
    public static readonly TimeSpan LongestAlertWait = TimeSpan.FromHours(24);

    public static ModelConfig Apply(ModelConfig config, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("body: expected a JSON object of settings, e.g. {\"input_contract\": \"reject\"}");
        }

        foreach (var property in patch.EnumerateObject())
        {
            var value = property.Value;
            config = property.Name switch
            {
                "input_contract" => config with { InputContract = Mode(property.Name, value) },
                "input_missing" => config with { InputMissing = MissingMode(value) },
                "outlier_threshold" => config with { OutlierThreshold = Threshold(value) },
                "fallback" => config with { Fallback = Chain(value) },
                "fallback_default" => config with { FallbackDefault = DefaultJson(value) },
                "replicas" => config with { Replicas = Replicas(value) },
                "alert.for" => config with { Alerting = config.AlertingOrDefault with { For = AlertWait(property.Name, value) } },
                "alert.keep_firing_for" => config with { Alerting = config.AlertingOrDefault with { KeepFiringFor = AlertWait(property.Name, value) } },
                "alert.latency_p99_ms" => config with { Alerting = config.AlertingOrDefault with { LatencyP99Ms = LatencyMs(value) } },
                "alert.error_rate" => config with { Alerting = config.AlertingOrDefault with { ErrorRate = Share(property.Name, value) } },
                "alert.violation_rate" => config with { Alerting = config.AlertingOrDefault with { ViolationRate = Share(property.Name, value) } },
                "alert.fallback_rate" => config with { Alerting = config.AlertingOrDefault with { FallbackRate = Share(property.Name, value) } },
                _ when MonitorSettingsPatch.Keys.Contains(property.Name) =>
                    config with { Monitoring = MonitorSettingsPatch.Apply(config.MonitoringOrDefault, property.Name, Text(value)) },
                _ => throw new InvalidRequestException($"{property.Name}: unknown setting (known: {string.Join(", ", Keys)})"),
            };
        }

        return config;
    }

    public static object ToJson(ModelConfig config) => new
    {
        input_contract = config.InputContract,
        input_missing = config.InputMissing,
        outlier_threshold = config.OutlierThreshold,
        fallback = config.Fallback.Select(Name).ToArray(),
        fallback_default = config.FallbackDefault is null ? (JsonElement?)null : JsonDocument.Parse(config.FallbackDefault).RootElement.Clone(),
        replicas = config.Replicas,
        monitoring = MonitorSettingsPatch.ToJson(config.MonitoringOrDefault),
        alert = new Dictionary<string, string?>
        {
            ["for"] = Seconds(config.AlertingOrDefault.For),
            ["keep_firing_for"] = Seconds(config.AlertingOrDefault.KeepFiringFor),
            ["latency_p99_ms"] = Number(config.AlertingOrDefault.LatencyP99Ms),
            ["error_rate"] = Number(config.AlertingOrDefault.ErrorRate),
            ["violation_rate"] = Number(config.AlertingOrDefault.ViolationRate),
            ["fallback_rate"] = Number(config.AlertingOrDefault.FallbackRate),
        },
    };

    private static string? Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : null;

    private static string? Number(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A share from 0 to 1 (exclusive of 0: a rate rule at 0 would fire on one broken answer), or <c>default</c>.</summary>
    private static double? Share(string key, JsonElement value)
    {
        var text = Text(value).Trim();
        if (value.ValueKind == JsonValueKind.Null || text == "default")
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share > 0 && share <= 1
            ? share
            : throw new InvalidRequestException($"{key}: '{Clip(text)}' is not a share above 0 and at most 1 (e.g. 0.02), or 'default' for Fleet:Alerting:Serving's");
    }

    /// <summary>Milliseconds above 0 and at most an hour, or <c>default</c> (the previous live version's p99 decides).</summary>
    private static double? LatencyMs(JsonElement value)
    {
        var text = Text(value).Trim();
        if (value.ValueKind == JsonValueKind.Null || text == "default")
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 0 && ms <= 3_600_000
            ? ms
            : throw new InvalidRequestException($"alert.latency_p99_ms: '{Clip(text)}' is not a number of milliseconds above 0 and at most 3600000, or 'default' (judged against the previous live version's p99)");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>A whole number and s, m or h from 0 s to 24 h, or <c>default</c> (the rule's own).</summary>
    private static TimeSpan? AlertWait(string key, JsonElement value)
    {
        var text = Text(value).Trim();
        if (value.ValueKind == JsonValueKind.Null || text == "default")
        {
            return null;
        }

        var unit = text.Length > 1 ? char.ToLowerInvariant(text[^1]) : ' ';
        if (unit is not ('s' or 'm' or 'h') || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new InvalidRequestException($"{key}: '{text}' is not a duration (a whole number and s, m or h, e.g. 10s; or 'default' for the rule's own)");
        }

        var span = unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        return span <= LongestAlertWait ? span : throw new InvalidRequestException($"{key}: '{text}' is longer than 24h");
    }

    public static string Name(FallbackStep step) => step switch
    {
        FallbackStep.LastKnownGood => "last-known-good",
        FallbackStep.Default => "default",
        _ => "error",
    };

    private static EnforcementMode Mode(string key, JsonElement value) => Text(value) switch
    {
        "reject" => EnforcementMode.Reject,
        "flag" => EnforcementMode.Flag,
        "off" => EnforcementMode.Off,
        var other => throw new InvalidRequestException($"{key}: '{other}' is not one of reject, flag, off"),
    };

    /// <summary>input_missing also takes <c>impute</c>: a missing value becomes the feature's reference median.</summary>
    private static EnforcementMode MissingMode(JsonElement value) => Text(value) switch
    {
        "impute" => EnforcementMode.Impute,
        "reject" or "flag" or "off" => Mode("input_missing", value),
        var other => throw new InvalidRequestException($"input_missing: '{other}' is not one of reject, flag, impute, off"),
    };

    private static double Threshold(JsonElement value)
    {
        var text = Text(value);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold) || threshold < 0)
        {
            throw new InvalidRequestException($"outlier_threshold: '{text}' is not a non-negative number (0 turns outlier flags off)");
        }

        return threshold;
    }

    /// <summary>A count of hosts, or <c>default</c> (the cluster's replication factor).</summary>
    private static int? Replicas(JsonElement value)
    {
        var text = Text(value);
        if (value.ValueKind == JsonValueKind.Null || text == "default")
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= CoordinatorOptions.MaxReplicationFactor
            ? count
            : throw new InvalidRequestException($"replicas: '{text}' is not a whole number from 1 to {CoordinatorOptions.MaxReplicationFactor} (or 'default' for the cluster's Fleet:Coordinator:ReplicationFactor)");
    }

    private static FallbackStep[] Chain(JsonElement value)
    {
        var items = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(Text).ToArray()
            : Text(value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new InvalidRequestException("fallback: empty; give an ordered list such as last-known-good,default,error");
        }

        var steps = items.Select(item => item switch
        {
            "last-known-good" => FallbackStep.LastKnownGood,
            "default" => FallbackStep.Default,
            "error" => FallbackStep.Error,
            _ => throw new InvalidRequestException($"fallback: '{item}' is not one of last-known-good, default, error"),
        }).ToArray();
        if (steps.Distinct().Count() != steps.Length)
        {
            throw new InvalidRequestException($"fallback: '{string.Join(",", items)}' names a step more than once");
        }

        return steps;
    }

    private static string? DefaultJson(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString() is "" or "none"))
        {
            return null;
        }

        var json = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.GetRawText()
                : throw new InvalidRequestException("fallback_default: must be a JSON object mapping output names to one row's values, e.g. {\"label\":[0]}");
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException($"fallback_default: not valid JSON ({ex.Message})");
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };
}

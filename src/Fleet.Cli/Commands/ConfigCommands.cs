using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet config show</c> and <c>fleet config set</c>: a model's serving settings.</summary>
internal static class ConfigCommands
{
    private const string KeysHelp =
        "Keys: input_contract=reject|flag|off, input_missing=reject|flag|impute|off, outlier_threshold=NUMBER, " +
        "fallback=LIST (of last-known-good, default, error; comma-separated), fallback_default=JSON, replicas=N|default (hosts serving the model); " +
        "drift: drift_interval=30s, drift_window=ROWS, drift_min_samples=N, drift_alpha=P, drift_correction=bh|bonferroni|none, drift_effect=X, " +
        "drift_ert=SAMPLES, reference_rows=N; quality: quality_window=24h, quality_min_labels=N, quality_tolerance=X, quality_floor=P|none, quality_max_mae=X|none; " +
        "retraining: retrain_on=drift,quality,estimated_quality,staleness|none, retrain_max_age=30d|none, retrain_webhook=URL|none; " +
        "alerts: alert.for=10s|default, alert.keep_firing_for=1m|default.";

    public static Command Create(CommandRunner runner)
    {
        var config = new Command("config", "Show or change a model's serving settings (contract checks, fallbacks)");
        config.Subcommands.Add(CreateShow(runner));
        config.Subcommands.Add(CreateSet(runner));
        return config;
    }

    internal static string ConfigPath(string model) => $"/api/v1/models/{FleetApiClient.Segment(model)}/config";

    private static Command CreateShow(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var show = new Command("show", "Show a model's settings (GET /api/v1/models/MODEL/config)") { model };
        runner.SetAction(show, async (pr, s) =>
        {
            var response = await s.Api.GetAsync(ConfigPath(pr.GetValue(model)!), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteConfig(s.Out, response);
        });
        return show;
    }

    private static Command CreateSet(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var settings = new Argument<string[]>("KEY=VALUE")
        {
            Description = "Settings to change; each value is sent as a string and parsed by the server. " + KeysHelp,
            Arity = ArgumentArity.OneOrMore,
        };
        settings.Validators.Add(result =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in result.Tokens)
            {
                if (SettingError(token.Value) is { } error)
                {
                    result.AddError(error);
                }
                else if (!seen.Add(token.Value[..token.Value.IndexOf('=', StringComparison.Ordinal)].Trim()))
                {
                    result.AddError($"Invalid setting '{token.Value}': the key is given more than once.");
                }
            }
        });
        var set = new Command(
            "set",
            "Change some of a model's settings (PATCH /api/v1/models/MODEL/config), then show them all, " +
            "e.g. fleet config set wine input_contract=reject fallback=last-known-good,error")
        {
            model, settings,
        };
        runner.SetAction(set, async (pr, s) =>
        {
            var response = await s.Api.PatchJsonAsync(ConfigPath(pr.GetValue(model)!), SettingsBody(pr.GetValue(settings)!), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteConfig(s.Out, response);
        });
        return set;
    }

    /// <summary>Why <paramref name="argument"/> is not <c>KEY=VALUE</c> with a non-empty key; null when it is.</summary>
    internal static string? SettingError(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return $"Invalid setting '{argument}': expected KEY=VALUE.";
        }

        return string.IsNullOrWhiteSpace(argument[..equals]) ? $"Invalid setting '{argument}': the key is empty (expected KEY=VALUE)." : null;
    }

    /// <summary>The PATCH body: each KEY mapped to its VALUE as a JSON string (split at the first '=').</summary>
    internal static JsonObject SettingsBody(IEnumerable<string> arguments)
    {
        var body = new JsonObject();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            body[argument[..equals].Trim()] = argument[(equals + 1)..];
        }

        return body;
    }

    /// <summary>
    /// KEY VALUE rows in the server's order: lists joined with commas, objects as compact JSON, null as "-";
    /// the nested "monitoring" settings as rows of their own (they are set by the same flat keys), and "alert" as alert.KEY.
    /// </summary>
    internal static void WriteConfig(TextWriter output, JsonNode? config)
    {
        var table = new Table("KEY", "VALUE");
        if (config is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (key == "monitoring" && value is JsonObject monitoring)
                {
                    foreach (var (inner, setting) in monitoring)
                    {
                        table.Add(inner, Value(setting));
                    }

                    continue;
                }

                if (key == "alert" && value is JsonObject alert)
                {
                    // Set as alert.for=10s: shown under that name.
                    foreach (var (inner, setting) in alert)
                    {
                        table.Add($"alert.{inner}", Value(setting));
                    }

                    continue;
                }

                table.Add(key, Value(value));
            }
        }

        table.WriteTo(output);
    }

    private static string Value(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray array when array.All(item => item is JsonValue) => string.Join(',', array.Select(Value)),
        _ => CompactJson(value),
    };
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet stats MODEL [--version V] [--window 5m]</c>.</summary>
internal static partial class StatsCommand
{
    public const string DefaultWindow = "5m";

    [GeneratedRegex(@"^[0-9]+[smhd]\z", RegexOptions.CultureInvariant)] // \z, not $: "5m\n" is not a window
    private static partial Regex WindowPattern();

    /// <summary>Whether <paramref name="window"/> is a number followed by s, m, h or d (30s, 5m, 1h, 7d).</summary>
    internal static bool IsValidWindow(string? window) => window is not null && WindowPattern().IsMatch(window);

    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "Version to report on (default: the live version)", HelpName = "VERSION" };
        var window = new Option<string>("--window", "-w")
        {
            Description = "How far back to look: a number followed by s, m, h or d",
            HelpName = "30s|5m|1h|7d",
            DefaultValueFactory = _ => DefaultWindow,
        };
        window.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!IsValidWindow(value))
            {
                result.AddError($"Invalid value '{value}' for --window: expected a number followed by s, m, h or d (e.g. 30s, 5m, 1h, 7d).");
            }
        });

        var stats = new Command(
            "stats",
            "Show request, error, fallback, latency, feature and output statistics " +
            "(GET /api/v1/models/MODEL[/versions/VERSION]/stats?window=W)")
        {
            model, version, window,
        };
        runner.SetAction(stats, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var w = pr.GetValue(window) ?? DefaultWindow;
            var path = pr.GetValue(version) is { Length: > 0 } v
                ? $"/api/v1/models/{FleetApiClient.Segment(name)}/versions/{FleetApiClient.Segment(v)}/stats"
                : $"/api/v1/models/{FleetApiClient.Segment(name)}/stats";
            var response = await s.Api.GetAsync(path + FleetApiClient.Query(("window", w)), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteStats(s.Out, response, name, pr.GetValue(version), w);
        });
        return stats;
    }

    /// <summary>
    /// The summary line, latency, errors, fallbacks, violations and outliers, the features table
    /// (NAME COUNT MISSING MIN P50 MAX) and the output summary. Missing or null fields are shown as "-" or "none".
    /// </summary>
    internal static void WriteStats(TextWriter output, JsonNode? stats, string model, string? version, string window)
    {
        var requests = Long(stats, "requests");
        var rps = Double(stats, "throughput_rps");
        var errorRate = Double(stats, "error_rate");
        if (errorRate is null && requests is > 0 && stats?["errors"] is JsonObject errors)
        {
            errorRate = errors.Sum(e => e.Value is JsonValue n && n.TryGetValue<double>(out var d) ? d : 0) / requests.Value;
        }

        output.WriteLine(
            $"{StrOrNull(stats, "model") ?? model} version {StrOrNull(stats, "version") ?? OrDash(version)}, " +
            $"window {StrOrNull(stats, "window") ?? window}: " +
            $"{(requests is { } r ? r.ToString(CultureInfo.InvariantCulture) : "-")} requests, " +
            $"{(rps is { } t ? Fixed2(t) : "-")} rps, " +
            $"error rate {(errorRate is { } e ? Fixed2(e * 100) : "-")}%");

        var latency = stats?["latency_ms"];
        output.WriteLine(latency is JsonObject
            ? $"latency p50 {Ms(latency, "p50")} ms, p90 {Ms(latency, "p90")} ms, p99 {Ms(latency, "p99")} ms"
            : "latency: -");
        output.WriteLine($"errors: {Counts(stats?["errors"])}");
        output.WriteLine($"fallbacks: {Counts(stats?["fallbacks"])}");
        output.WriteLine($"violations: {Counts(stats?["violations"])}");
        output.WriteLine($"outliers: {Counts(stats?["outliers"])}");

        output.WriteLine();
        var features = Arr(stats, "features");
        if (features.Count == 0)
        {
            output.WriteLine("features: none recorded");
        }
        else
        {
            var table = new Table("NAME", "COUNT", "MISSING", "MIN", "P50", "MAX");
            foreach (var feature in features)
            {
                table.Add(Str(feature, "name"), Num(feature, "count"), Num(feature, "missing"), Num(feature, "min"), Num(feature, "p50"), Num(feature, "max"));
            }

            table.WriteTo(output);
        }

        output.WriteLine();
        var outputs = stats?["outputs"];
        var lines = new List<string>();
        if (outputs?["class_counts"] is { } classes)
        {
            lines.Add($"output classes: {ClassCounts(classes)}");
        }

        if (outputs?["confidence"] is JsonObject confidence)
        {
            lines.Add($"output confidence: {Pairs(confidence)}");
        }

        if (outputs?["values"] is JsonObject values)
        {
            lines.Add($"output values: {Pairs(values)}");
        }

        if (lines.Count == 0)
        {
            lines.Add("outputs: none recorded");
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }

    private static string Ms(JsonNode? latency, string key) => Double(latency, key) is { } ms ? Fixed2(ms) : "-";

    /// <summary>Counts per class: a list as <c>0=12 1=30</c> (index=count), an object as <c>label=count</c>.</summary>
    private static string ClassCounts(JsonNode classes) => classes switch
    {
        JsonArray array => array.Count == 0 ? "none" : string.Join(' ', array.Select((count, i) => $"{i}={OrDash(Num(count))}")),
        JsonObject obj => obj.Count == 0 ? "none" : string.Join(' ', obj.Select(p => $"{p.Key}={OrDash(Num(p.Value))}")),
        _ => Num(classes),
    };
}

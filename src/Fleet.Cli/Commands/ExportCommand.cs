using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet export MODEL --since 24h --out DIR [--version V]</c>: recent inputs, predictions and joined labels as CSV.</summary>
internal static class ExportCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Option<string?>("--version") { Description = "Version to export (default: the live version)", HelpName = "VERSION" };
        var since = new Option<string>("--since") { Description = "How far back: a number followed by s, m, h or d", HelpName = "1h|24h", DefaultValueFactory = _ => "1h" };
        since.Validators.Add(result =>
        {
            if (!StatsCommand.IsValidWindow(result.GetValueOrDefault<string>()))
            {
                result.AddError($"Invalid value '{result.GetValueOrDefault<string>()}' for --since: expected a number followed by s, m, h or d (e.g. 30m, 24h).");
            }
        });
        var output = new Option<string>("--out") { Description = "Directory to write MODEL-VERSION.csv into (created if missing)", HelpName = "DIR", Required = true };
        var export = new Command("export", "Write recent inputs, predictions and joined labels as CSV for a retraining job (GET /api/v1/models/MODEL/export)")
        {
            model, version, since, output,
        };
        runner.SetAction(export, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var directory = pr.GetValue(output)!;
            if (File.Exists(directory))
            {
                throw new UsageException($"--out '{directory}' is a file; give a directory");
            }

            var path = $"/api/v1/models/{FleetApiClient.Segment(name)}/export" + FleetApiClient.Query(("version", pr.GetValue(version)), ("since", pr.GetValue(since)));
            var (csv, headers) = await s.Api.SendTextAsync(HttpMethod.Get, path, null, "text/csv", s.CancellationToken);
            var exportedVersion = pr.GetValue(version) ?? headers.GetValueOrDefault("Fleet-Export-Version") ?? "live";
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, $"{name}-{exportedVersion}.csv");
            await File.WriteAllTextAsync(file, csv, s.CancellationToken);
            var rows = headers.GetValueOrDefault("Fleet-Export-Rows") ?? "?";
            if (s.Json)
            {
                s.WriteJson(new JsonObject { ["model"] = name, ["version"] = exportedVersion, ["file"] = Path.GetFullPath(file), ["rows"] = long.TryParse(rows, out var n) ? n : null });
                return;
            }

            s.Out.WriteLine($"wrote {rows} rows to {file}");
        });
        return export;
    }
}

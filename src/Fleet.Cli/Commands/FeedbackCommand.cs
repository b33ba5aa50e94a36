using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet feedback MODEL FILE</c>: ground-truth labels by prediction id, from a CSV with header <c>id,label</c>
/// or JSON lines <c>{"id": "...", "label": 1}</c>; sent in batches of <see cref="BatchSize"/> (POST /api/v1/feedback).
/// </summary>
internal static class FeedbackCommand
{
    public const int BatchSize = 5000;

    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var file = new Argument<string>("FILE") { Description = "CSV with header id,label, or JSON lines of {\"id\", \"label\"} ('-' for standard input)" };
        var feedback = new Command("feedback", "Send ground-truth labels for served predictions, joined by prediction id (POST /api/v1/feedback)") { model, file };
        runner.SetAction(feedback, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var path = pr.GetValue(file)!;
            var labels = await ReadAsync(path, path == "-" ? s.Context.In : null, s.CancellationToken);
            long received = 0, joined = 0, unknown = 0;
            var versions = new Dictionary<string, long>(StringComparer.Ordinal);
            var unknownIds = new List<string>();
            for (var start = 0; start < labels.Count; start += BatchSize)
            {
                var batch = new JsonArray(labels.Skip(start).Take(BatchSize).Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["label"] = l.Label }).ToArray());
                var response = await s.Api.PostJsonAsync("/api/v1/feedback", new JsonObject { ["model"] = name, ["labels"] = batch }, s.CancellationToken);
                received += response?["received"]?.GetValue<long>() ?? 0;
                joined += response?["joined"]?.GetValue<long>() ?? 0;
                unknown += response?["unknown"]?.GetValue<long>() ?? 0;
                foreach (var (version, count) in response?["versions"] as JsonObject ?? [])
                {
                    versions[version] = versions.GetValueOrDefault(version) + (count?.GetValue<long>() ?? 0);
                }

                unknownIds.AddRange((response?["unknown_ids"] as JsonArray ?? []).Select(i => i?.GetValue<string>() ?? "").Take(20 - unknownIds.Count));
                if (labels.Count > BatchSize && s.Context.ShowProgress)
                {
                    s.Context.Error.Write($"\rsent {Math.Min(start + BatchSize, labels.Count)}/{labels.Count} labels");
                }
            }

            if (labels.Count > BatchSize && s.Context.ShowProgress)
            {
                s.Context.Error.WriteLine();
            }

            if (s.Json)
            {
                s.WriteJson(new JsonObject
                {
                    ["model"] = name,
                    ["received"] = received,
                    ["joined"] = joined,
                    ["unknown"] = unknown,
                    ["versions"] = new JsonObject(versions.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                    ["unknown_ids"] = new JsonArray(unknownIds.Select(i => (JsonNode)i).ToArray()),
                });
                return;
            }

            s.Out.WriteLine($"{name}: {received} labels received, {joined} joined to predictions, {unknown} for unknown or expired ids");
            foreach (var (version, count) in versions)
            {
                s.Out.WriteLine($"  version {version}: {count}");
            }

            if (unknownIds.Count > 0)
            {
                s.Out.WriteLine($"  unknown ids (first {unknownIds.Count}): {string.Join(", ", unknownIds)}");
            }
        });
        return feedback;
    }

    /// <summary>Reads labels; a malformed line is a usage error naming the line.</summary>
    internal static async Task<List<(string Id, double Label)>> ReadAsync(string path, TextReader? stdin, CancellationToken cancellationToken)
    {
        string text;
        if (stdin is not null)
        {
            text = await stdin.ReadToEndAsync(cancellationToken);
        }
        else
        {
            LocalFiles.CheckReadable(path);
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read file '{path}': {e.Message}");
            }
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var name = stdin is null ? $"'{path}'" : "standard input";
        var labels = new List<(string, double)>();
        var jsonLines = lines.FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart().StartsWith('{') == true;
        if (!jsonLines)
        {
            var header = lines.FirstOrDefault()?.Split(',').Select(h => h.Trim().Trim('"')).ToArray() ?? [];
            var idColumn = Array.IndexOf(header, "id");
            var labelColumn = Array.IndexOf(header, "label");
            if (idColumn < 0 || labelColumn < 0)
            {
                throw new UsageException($"{name}: the first line must be a CSV header with columns id and label (got '{lines.FirstOrDefault()}')");
            }

            for (var i = 1; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                var cells = lines[i].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
                if (cells.Length <= Math.Max(idColumn, labelColumn) || cells[idColumn].Length == 0)
                {
                    throw new UsageException($"{name} line {i + 1}: expected {header.Length} columns with an id");
                }

                labels.Add((cells[idColumn], Label(cells[labelColumn], name, i + 1)));
            }
        }
        else
        {
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(lines[i]);
                    var root = document.RootElement;
                    var id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
                    if (string.IsNullOrEmpty(id) || !root.TryGetProperty("label", out var label))
                    {
                        throw new UsageException($"{name} line {i + 1}: expected {{\"id\": \"...\", \"label\": ...}}");
                    }

                    labels.Add((id, Label(label.ValueKind == JsonValueKind.String ? label.GetString()! : label.GetRawText(), name, i + 1)));
                }
                catch (JsonException e)
                {
                    throw new UsageException($"{name} line {i + 1}: invalid JSON ({e.Message})");
                }
            }
        }

        return labels.Count > 0 ? labels : throw new UsageException($"{name}: no labels found");
    }

    private static double Label(string text, string name, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"{name} line {line}: label '{text}' is not a number (classifiers: the class index)");
}

using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet versions add</c> and <c>fleet versions list</c>.</summary>
internal static class VersionsCommands
{
    /// <summary>Files larger than this show upload progress on an interactive terminal.</summary>
    private const long ProgressThresholdBytes = 8L * 1024 * 1024;

    public static Command Create(CommandRunner runner)
    {
        var versions = new Command("versions", "Upload and list model versions");
        versions.Subcommands.Add(CreateAdd(runner));
        versions.Subcommands.Add(CreateList(runner));
        versions.Subcommands.Add(CreateShow(runner));
        return versions;
    }

    private static Command CreateAdd(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var file = new Argument<string>("FILE") { Description = "The .onnx file to upload" };
        var version = new Option<string?>("--version") { Description = "Version id (default: assigned by the server)", HelpName = "ID" };
        var note = new Option<string?>("--note") { Description = "Free-text note stored with the version", HelpName = "TEXT" };
        var reference = new Option<string?>("--reference")
        {
            Description = "Reference data the input contract is derived from: CSV with a header row, or JSON lines (.jsonl/.ndjson)",
            HelpName = "FILE.csv",
        };
        var labelColumn = new Option<string?>("--label-column")
        {
            Description = "Column of the reference data that holds the label, not a feature (needs --reference)",
            HelpName = "NAME",
        };
        var golden = new Option<string?>("--golden")
        {
            Description = "Golden file (format of samples/*/golden.json: request, expected outputs, tolerance) the version must reproduce; " +
                "its probes check it on every host (default: the first reference rows, else zero inputs, run through the model at upload)",
            HelpName = "FILE.json",
        };

        var add = new Command(
            "add",
            "Upload an ONNX file as a new staged version, optionally with reference data for its input contract " +
            "(POST /api/v1/models/MODEL/versions)")
        {
            model, file, version, note, reference, labelColumn, golden,
        };
        add.Validators.Add(result =>
        {
            if (result.GetResult(labelColumn) is { Implicit: false } && result.GetResult(reference) is null or { Implicit: true })
            {
                result.AddError("--label-column requires --reference.");
            }
        });
        runner.SetAction(add, async (pr, s) =>
        {
            var modelName = pr.GetValue(model)!;
            var path = pr.GetValue(file)!;
            var length = LocalFiles.CheckReadable(path);
            var referencePath = pr.GetValue(reference);
            var referenceLength = referencePath is null ? 0 : LocalFiles.CheckReadable(referencePath);
            if (referencePath is not null && referenceLength == 0)
            {
                throw new UsageException($"reference file '{referencePath}' is empty: expected a CSV header row or JSON lines");
            }

            var goldenPath = pr.GetValue(golden);
            var goldenLength = goldenPath is null ? 0 : LocalFiles.CheckReadable(goldenPath);
            if (goldenPath is not null && goldenLength == 0)
            {
                throw new UsageException($"golden file '{goldenPath}' is empty: expected JSON with 'request' and 'expected'");
            }

            var stream = LocalFiles.OpenRead(path);
            Stream body = s.Context.ShowProgress && length > ProgressThresholdBytes
                ? new ProgressStream(stream, length, s.Context.Error)
                : stream;
            using var fileContent = new StreamContent(body, 81920);
            fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            fileContent.Headers.ContentLength = length;

            var url = $"/api/v1/models/{FleetApiClient.Segment(modelName)}/versions";
            HttpContent content = fileContent;
            MultipartFormDataContent? multipart = null;
            if (referencePath is not null || goldenPath is not null)
            {
                StreamContent? referenceContent = null;
                if (referencePath is not null)
                {
                    referenceContent = new StreamContent(LocalFiles.OpenRead(referencePath), 81920);
                    referenceContent.Headers.ContentLength = referenceLength;
                }

                StreamContent? goldenContent = null;
                if (goldenPath is not null)
                {
                    goldenContent = new StreamContent(LocalFiles.OpenRead(goldenPath), 81920);
                    goldenContent.Headers.ContentLength = goldenLength;
                }

                multipart = BuildUpload(
                    fileContent, Path.GetFileName(path), referenceContent, referencePath, goldenContent, goldenPath,
                    pr.GetValue(version), pr.GetValue(note), pr.GetValue(labelColumn));
                content = multipart;
            }
            else
            {
                url += FleetApiClient.Query(("version", pr.GetValue(version)), ("note", pr.GetValue(note)));
            }

            JsonNode? response;
            using (multipart)
            {
                response = await s.Api.PostAsync(url, content, s.CancellationToken);
            }

            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteAdded(s.Out, modelName, response, length);
        });
        return add;
    }

    /// <summary>
    /// The multipart/form-data body of an upload with reference data: parts <c>file</c> (the ONNX model),
    /// <c>reference</c> (the CSV or JSON-lines file, its file name kept) and the text fields that are given.
    /// The multipart content owns (and disposes) the two file parts.
    /// </summary>
    internal static MultipartFormDataContent BuildUpload(
        HttpContent model, string modelFileName, HttpContent reference, string referencePath,
        string? version, string? note, string? labelColumn) =>
        BuildUpload(model, modelFileName, reference, referencePath, null, null, version, note, labelColumn);

    /// <summary>
    /// The multipart/form-data body of an upload with reference data and/or a golden file: parts <c>file</c>,
    /// <c>reference</c> and <c>golden</c> (each with its file name) when given, then the text fields that are given.
    /// </summary>
    internal static MultipartFormDataContent BuildUpload(
        HttpContent model, string modelFileName, HttpContent? reference, string? referencePath, HttpContent? golden, string? goldenPath,
        string? version, string? note, string? labelColumn)
    {
        var multipart = new MultipartFormDataContent { { model, "file", modelFileName } };
        if (reference is not null && referencePath is not null)
        {
            reference.Headers.ContentType = new MediaTypeHeaderValue(ReferenceMediaType(referencePath));
            multipart.Add(reference, "reference", Path.GetFileName(referencePath));
        }

        if (golden is not null && goldenPath is not null)
        {
            golden.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            multipart.Add(golden, "golden", Path.GetFileName(goldenPath));
        }

        foreach (var (name, value) in new[] { ("version", version), ("note", note), ("label_column", labelColumn) })
        {
            if (value is not null)
            {
                multipart.Add(new StringContent(value, new UTF8Encoding(false)), name);
            }
        }

        return multipart;
    }

    /// <summary>application/x-ndjson for .jsonl and .ndjson files, else text/csv.</summary>
    internal static string ReferenceMediaType(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" ? "application/x-ndjson" : "text/csv";

    /// <summary>
    /// <c>added MODEL version V (sha256 ..., N bytes, STATE)</c>, then, when the response has a contract,
    /// <c>contract: N features from reference (input 'NAME')</c> or <c>contract: no reference data (output checks only)</c>,
    /// then, when it has a golden set, <c>golden: N rows from SOURCE (tolerance T)</c>.
    /// </summary>
    internal static void WriteAdded(TextWriter output, string modelName, JsonNode? response, long length)
    {
        var size = Long(response, "size_bytes") ?? length;
        output.WriteLine(
            $"added {modelName} version {OrDash(Str(response, "version"))} " +
            $"(sha256 {ShortHash(Str(response, "sha256"))}..., {size} bytes, {OrDash(Str(response, "state"))})");
        if (response is not JsonObject obj)
        {
            return;
        }

        if (obj.TryGetPropertyValue("contract", out var contract))
        {
            output.WriteLine(contract?["input"] is JsonObject input
                ? $"contract: {Arr(input, "features").Count} features from reference (input '{OrDash(Str(input, "input"))}')"
                : "contract: no reference data (output checks only)");
        }

        WriteGolden(output, obj);
        WritePromotion(output, obj);
    }

    /// <summary>
    /// <c>promotion: refused: REASON</c> (one line per reason) or <c>promotion: allowed: EVIDENCE</c>: what
    /// <c>fleet promote</c> would meet, from the version's labelled reference evaluation against the live version.
    /// </summary>
    private static void WritePromotion(TextWriter output, JsonObject obj)
    {
        if (obj["promotion"] is not JsonObject promotion)
        {
            return;
        }

        var reasons = Arr(promotion, "reasons").Select(r => r?.ToString()).Where(r => !string.IsNullOrEmpty(r)).ToArray();
        if (reasons.Length == 0)
        {
            var none = Str(obj, "evaluation_none") is { Length: > 0 } why ? $" (the labels were not scored: {why})" : string.Empty;
            output.WriteLine($"promotion: allowed: {OrDash(Str(promotion, "evidence"))}{none}");
            return;
        }

        foreach (var reason in reasons)
        {
            output.WriteLine($"promotion: refused: {reason}");
        }

        output.WriteLine($"  evidence: {OrDash(Str(promotion, "evidence"))}");
    }

    /// <summary><c>golden: N rows from SOURCE (tolerance T)</c>, or <c>golden: none yet: WHY</c>.</summary>
    private static void WriteGolden(TextWriter output, JsonObject obj)
    {
        if (obj["golden"] is JsonObject golden)
        {
            var relative = Double(golden, "relative_tolerance") ?? 0;
            output.WriteLine($"golden: {Num(golden, "rows")} rows from {OrDash(Str(golden, "source"))} " +
                $"(tolerance {Num(golden, "tolerance")}{(relative > 0 ? $" + {Number(relative)} × |expected|" : string.Empty)})");
        }
        else if (Str(obj, "golden_none") is { Length: > 0 } none)
        {
            output.WriteLine($"golden: none yet: {none}");
        }
    }

    private static Command CreateShow(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "Version id" };
        var show = new Command("show", "Show one version: state, checksum, signature and its golden set (GET /api/v1/models/MODEL/versions/VERSION)") { model, version };
        runner.SetAction(show, async (pr, s) =>
        {
            var response = await s.Api.GetAsync(
                $"/api/v1/models/{FleetApiClient.Segment(pr.GetValue(model)!)}/versions/{FleetApiClient.Segment(pr.GetValue(version)!)}", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteShown(s.Out, pr.GetValue(model)!, response);
        });
        return show;
    }

    /// <summary><c>MODEL version V: STATE</c>, sha256, size, created, note, inputs and outputs, then the golden line.</summary>
    internal static void WriteShown(TextWriter output, string modelName, JsonNode? response)
    {
        output.WriteLine($"{modelName} version {OrDash(Str(response, "version"))}: {OrDash(Str(response, "state"))}");
        output.WriteLine($"sha256: {OrDash(Str(response, "sha256"))}");
        if (Long(response, "size_bytes") is { } size)
        {
            output.WriteLine($"size: {Bytes(size)}");
        }

        output.WriteLine($"created: {Time(Str(response, "created_at"))} by {OrDash(Str(response, "created_by"))}");
        if (Str(response, "note") is { Length: > 0 } note)
        {
            output.WriteLine($"note: {note}");
        }

        foreach (var (label, key) in new[] { ("input", "inputs"), ("output", "outputs") })
        {
            foreach (var tensor in Arr(response, key))
            {
                output.WriteLine($"{label}: {OrDash(Str(tensor, "name"))} {OrDash(Str(tensor, "datatype"))} [{string.Join(",", Arr(tensor, "shape").Select(d => d?.ToString()))}]");
            }
        }

        if (response is JsonObject obj)
        {
            WriteGolden(output, obj);
            WritePromotion(output, obj);
        }
    }

    private static Command CreateList(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var list = new Command("list", "List a model's versions (GET /api/v1/models/MODEL/versions)") { model };
        runner.SetAction(list, async (pr, s) =>
        {
            var response = await s.Api.GetAsync(
                $"/api/v1/models/{FleetApiClient.Segment(pr.GetValue(model)!)}/versions", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            VersionTable(Arr(response, "versions")).WriteTo(s.Out);
        });
        return list;
    }

    /// <summary>VERSION STATE SHA256 SIZE CREATED NOTE.</summary>
    public static Table VersionTable(IEnumerable<JsonNode?> versions)
    {
        var table = new Table("VERSION", "STATE", "SHA256", "SIZE", "CREATED", "NOTE");
        foreach (var v in versions)
        {
            var size = Long(v, "size_bytes");
            table.Add(
                Str(v, "version"),
                Str(v, "state"),
                ShortHash(Str(v, "sha256")),
                size is { } bytes ? Bytes(bytes) : "",
                Time(Str(v, "created_at")),
                Str(v, "note"));
        }

        return table;
    }
}

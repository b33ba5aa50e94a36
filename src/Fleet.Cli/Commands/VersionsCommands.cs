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

        var add = new Command(
            "add",
            "Upload an ONNX file as a new staged version, optionally with reference data for its input contract " +
            "(POST /api/v1/models/MODEL/versions)")
        {
            model, file, version, note, reference, labelColumn,
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
            if (referencePath is not null)
            {
                var referenceContent = new StreamContent(LocalFiles.OpenRead(referencePath), 81920);
                referenceContent.Headers.ContentLength = referenceLength;
                multipart = BuildUpload(
                    fileContent, Path.GetFileName(path), referenceContent, referencePath,
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
        string? version, string? note, string? labelColumn)
    {
        reference.Headers.ContentType = new MediaTypeHeaderValue(ReferenceMediaType(referencePath));
        var multipart = new MultipartFormDataContent
        {
            { model, "file", modelFileName },
            { reference, "reference", Path.GetFileName(referencePath) },
        };
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
    /// <c>contract: N features from reference (input 'NAME')</c> or <c>contract: no reference data (output checks only)</c>.
    /// </summary>
    internal static void WriteAdded(TextWriter output, string modelName, JsonNode? response, long length)
    {
        var size = Long(response, "size_bytes") ?? length;
        output.WriteLine(
            $"added {modelName} version {OrDash(Str(response, "version"))} " +
            $"(sha256 {ShortHash(Str(response, "sha256"))}..., {size} bytes, {OrDash(Str(response, "state"))})");
        if (response is not JsonObject obj || !obj.TryGetPropertyValue("contract", out var contract))
        {
            return;
        }

        if (contract?["input"] is JsonObject input)
        {
            var features = Arr(input, "features").Count;
            output.WriteLine($"contract: {features} features from reference (input '{OrDash(Str(input, "input"))}')");
        }
        else
        {
            output.WriteLine("contract: no reference data (output checks only)");
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

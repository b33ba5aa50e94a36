using System.CommandLine;
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

        // Room for a later `--reference FILE.csv [--label-column NAME]` (reference data for drift checks):
        // add the options here and switch the upload to multipart when they are given.
        var add = new Command("add", "Upload an ONNX file as a new staged version (POST /api/v1/models/MODEL/versions)")
        {
            model, file, version, note,
        };
        runner.SetAction(add, async (pr, s) =>
        {
            var modelName = pr.GetValue(model)!;
            var path = pr.GetValue(file)!;
            var length = LocalFiles.CheckReadable(path);
            var query = FleetApiClient.Query(("version", pr.GetValue(version)), ("note", pr.GetValue(note)));

            var stream = LocalFiles.OpenRead(path);
            Stream body = s.Context.ShowProgress && length > ProgressThresholdBytes
                ? new ProgressStream(stream, length, s.Context.Error)
                : stream;
            using var content = new StreamContent(body, 81920);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = length;

            var response = await s.Api.PostAsync(
                $"/api/v1/models/{FleetApiClient.Segment(modelName)}/versions{query}", content, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var size = Long(response, "size_bytes") ?? length;
            s.Out.WriteLine(
                $"added {modelName} version {OrDash(Str(response, "version"))} " +
                $"(sha256 {ShortHash(Str(response, "sha256"))}..., {size} bytes, {OrDash(Str(response, "state"))})");
        });
        return add;
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
    public static Table VersionTable(IEnumerable<System.Text.Json.Nodes.JsonNode?> versions)
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

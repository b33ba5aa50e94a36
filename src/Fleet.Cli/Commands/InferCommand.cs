using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet infer MODEL --input FILE.json [--version V]</c>.</summary>
internal static class InferCommand
{
    private const int MaxValuesShown = 10;

    /// <summary>The version that answered (always sent by the server).</summary>
    public const string ModelVersionHeader = "Fleet-Model-Version";

    /// <summary>Present only when a fallback served the answer; its value is the fallback's reason.</summary>
    public const string FallbackHeader = "Fleet-Fallback";

    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var input = new Option<string>("--input", "-i")
        {
            Description = "Open Inference Protocol v2 request (JSON file, or - for stdin)",
            HelpName = "FILE",
            Required = true,
        };
        var version = new Option<string?>("--version") { Description = "Version to call (default: the live version)", HelpName = "VERSION" };
        var infer = new Command("infer", "Run a prediction (POST /v2/models/MODEL[/versions/VERSION]/infer)") { model, input, version };
        runner.SetAction(infer, async (pr, s) =>
        {
            var (text, _) = await LocalFiles.ReadJsonObjectAsync(pr.GetValue(input)!, s.Context.In, s.CancellationToken);
            var name = pr.GetValue(model)!;
            var path = pr.GetValue(version) is { Length: > 0 } v
                ? $"/v2/models/{FleetApiClient.Segment(name)}/versions/{FleetApiClient.Segment(v)}/infer"
                : $"/v2/models/{FleetApiClient.Segment(name)}/infer";
            var response = await s.Api.SendAsync(HttpMethod.Post, path, FleetApiClient.JsonContent(text), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response.Body);
                return;
            }

            WriteSummary(s.Out, response.Body, response.Header(ModelVersionHeader), response.Header(FallbackHeader));
        });
        return infer;
    }

    /// <summary>
    /// <c>model NAME version V id ID</c> (V from the Fleet-Model-Version header, else the body),
    /// <c>fallback: REASON</c> when a fallback answered, then <c>NAME DATATYPE [shape] values...</c> per output.
    /// </summary>
    internal static void WriteSummary(TextWriter output, JsonNode? response, string? versionHeader = null, string? fallbackHeader = null)
    {
        var version = versionHeader ?? Str(response, "model_version");
        output.WriteLine(
            $"model {OrDash(Str(response, "model_name"))} version {OrDash(version)} id {OrDash(Str(response, "id"))}");
        if (!string.IsNullOrWhiteSpace(fallbackHeader))
        {
            output.WriteLine($"fallback: {fallbackHeader}");
        }

        foreach (var tensor in Arr(response, "outputs"))
        {
            var values = new List<string>();
            var total = Flatten(tensor?["data"], values);
            var data = string.Join(' ', values);
            if (total > values.Count)
            {
                data += $" ... ({total.ToString(CultureInfo.InvariantCulture)} values)";
            }

            output.WriteLine($"{OrDash(Str(tensor, "name"))} {OrDash(Str(tensor, "datatype"))} {Shape(tensor?["shape"])} {data}".TrimEnd());
        }
    }

    /// <summary>Collects up to <see cref="MaxValuesShown"/> leaf values (row-major) and returns the total count.</summary>
    private static long Flatten(JsonNode? node, List<string> values)
    {
        switch (node)
        {
            case null:
                return 0;
            case JsonArray array:
                long count = 0;
                foreach (var item in array)
                {
                    count += Flatten(item, values);
                }

                return count;
            default:
                if (values.Count < MaxValuesShown)
                {
                    values.Add(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString());
                }

                return 1;
        }
    }
}

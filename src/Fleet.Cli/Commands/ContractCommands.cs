using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet contract show</c> and <c>fleet contract set</c>.</summary>
internal static class ContractCommands
{
    private const int MaxCategoriesShown = 10;

    public static Command Create(CommandRunner runner)
    {
        var contract = new Command("contract", "Show or replace a version's input/output contract");
        contract.Subcommands.Add(CreateShow(runner));
        contract.Subcommands.Add(CreateSet(runner));
        return contract;
    }

    internal static string ContractPath(string model, string version) =>
        $"/api/v1/models/{FleetApiClient.Segment(model)}/versions/{FleetApiClient.Segment(version)}/contract";

    private static Command CreateShow(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "Version id" };
        var show = new Command(
            "show",
            "Show the feature ranges and output checks of a version (GET /api/v1/models/MODEL/versions/VERSION/contract)")
        {
            model, version,
        };
        runner.SetAction(show, async (pr, s) =>
        {
            var response = await s.Api.GetAsync(ContractPath(pr.GetValue(model)!, pr.GetValue(version)!), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteContract(s.Out, response);
        });
        return show;
    }

    private static Command CreateSet(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "Version id" };
        var file = new Argument<string>("FILE") { Description = "The contract as JSON (the shape 'contract show -o json' prints), or - for stdin" };
        var set = new Command(
            "set",
            "Replace a version's contract with a JSON file (PUT /api/v1/models/MODEL/versions/VERSION/contract)")
        {
            model, version, file,
        };
        runner.SetAction(set, async (pr, s) =>
        {
            var (text, _) = await LocalFiles.ReadJsonObjectAsync(
                pr.GetValue(file)!, s.Context.In, s.CancellationToken, "a contract with \"input\" and \"output\"");
            var name = pr.GetValue(model)!;
            var id = pr.GetValue(version)!;
            var response = await s.Api.PutAsync(ContractPath(name, id), FleetApiClient.JsonContent(text), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"contract of {name} version {id} replaced");
        });
        return set;
    }

    /// <summary>
    /// The input name and sources, the features table (INDEX FEATURE MIN MAX MISSING CATEGORIES MEDIAN MAD)
    /// and the outputs table (OUTPUT KIND MIN MAX CLASSES).
    /// </summary>
    internal static void WriteContract(TextWriter output, JsonNode? contract)
    {
        var input = contract?["input"] as JsonObject;
        var outputs = contract?["output"];
        if (input is null)
        {
            output.WriteLine("input:          none (no reference data; only outputs are checked)");
        }
        else
        {
            output.WriteLine($"input:          {OrDash(Str(input, "input"))}");
            output.WriteLine($"input source:   {OrDash(Str(input, "source"))}");
        }

        output.WriteLine($"output source:  {OrDash(Str(outputs, "source"))}");

        if (input is not null)
        {
            output.WriteLine();
            var features = new Table("INDEX", "FEATURE", "MIN", "MAX", "MISSING", "CATEGORIES", "MEDIAN", "MAD");
            foreach (var feature in Arr(input, "features"))
            {
                features.Add(
                    Num(feature, "index"),
                    Str(feature, "name"),
                    Num(feature, "min"),
                    Num(feature, "max"),
                    feature?["allow_missing"] is JsonValue allow && allow.TryGetValue<bool>(out var allowed) ? (allowed ? "allowed" : "no") : "",
                    Categories(feature?["categories"]),
                    Num(feature, "median"),
                    Num(feature, "mad"));
            }

            features.WriteTo(output);
        }

        output.WriteLine();
        var table = new Table("OUTPUT", "KIND", "MIN", "MAX", "CLASSES");
        foreach (var entry in Arr(outputs, "outputs"))
        {
            table.Add(Str(entry, "output"), Str(entry, "kind"), Num(entry, "min"), Num(entry, "max"), Num(entry, "class_count"));
        }

        table.WriteTo(output);
    }

    /// <summary>Allowed categories as <c>1,2,3</c>: at most ten, then <c>...(+N)</c> (no spaces, so columns stay aligned); "" when null.</summary>
    private static string Categories(JsonNode? categories)
    {
        if (categories is not JsonArray array)
        {
            return categories is null ? "" : Num(categories);
        }

        var shown = string.Join(',', array.Take(MaxCategoriesShown).Select(c => Num(c)));
        return array.Count > MaxCategoriesShown ? $"{shown},...(+{array.Count - MaxCategoriesShown})" : shown;
    }
}

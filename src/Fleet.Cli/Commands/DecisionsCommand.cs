using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet decisions [MODEL]</c>: the coordinator's decisions with their evidence, newest first.</summary>
internal static class DecisionsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string?>("MODEL") { Description = "Only this model's decisions (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int?>("--limit") { Description = "At most this many (default 100)", HelpName = "N" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be a positive integer.");
            }
        });
        var decisions = new Command("decisions", "Show the coordinator's decisions (rollback, reload, skipped) with their evidence, newest first " +
            "(GET /api/v1/decisions); --output json prints the list") { model, limit };
        runner.SetAction(decisions, async (pr, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/decisions" + FleetApiClient.Query(
                ("model", pr.GetValue(model)), ("limit", pr.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response?["decisions"] ?? new JsonArray());
                return;
            }

            WriteDecisions(s.Out, response);
        });
        return decisions;
    }

    /// <summary>A table (TIME ID MODEL ACTION FROM TO STATUS), then per decision its reason, outcome and evidence lines.</summary>
    internal static void WriteDecisions(TextWriter output, JsonNode? response)
    {
        var list = Arr(response, "decisions");
        if (list.Count == 0)
        {
            output.WriteLine("no decisions");
            return;
        }

        var table = new Table("TIME", "ID", "MODEL", "ACTION", "FROM", "TO", "HOST", "STATUS");
        foreach (var d in list)
        {
            var action = Str(d, "action");
            var intended = StrOrNull(d, "intended_action");
            table.Add(Time(Str(d, "time")), Str(d, "id"), Str(d, "model"), intended is null ? action : $"{action} ({intended})",
                OrDash(Str(d, "from_version")), OrDash(Str(d, "to_version")), OrDash(Str(d, "host")), Str(d, "status"));
        }

        table.WriteTo(output);
        foreach (var d in list)
        {
            output.WriteLine();
            output.WriteLine($"{Str(d, "id")}: {Str(d, "reason")}");
            if (StrOrNull(d, "outcome") is { } outcome)
            {
                output.WriteLine($"  outcome: {outcome}");
            }

            var evidence = d?["evidence"];
            output.WriteLine($"  evidence ({OrDash(Str(evidence, "trigger"))}): observed {OrDash(Pairs(evidence?["observed"]))}; thresholds {OrDash(Pairs(evidence?["thresholds"]))}");
            foreach (var signal in Arr(evidence, "signals"))
            {
                output.WriteLine($"    {signal}");
            }
        }
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet incidents [MODEL] [--state S]</c>, <c>fleet incident show|ack|note|resolve ID</c> and <c>fleet postmortem ID</c> (Markdown on stdout).
/// </summary>
internal static class IncidentCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner)
    {
        var model = new Argument<string?>("MODEL") { Description = "Only this model's incidents (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var state = new Option<string?>("--state") { Description = "Only incidents in this state: open, acknowledged, mitigated or resolved", HelpName = "STATE" };
        state.AcceptOnlyFromAmong("open", "acknowledged", "mitigated", "resolved");
        var incidents = new Command("incidents", "List incidents, newest first (GET /api/v1/incidents); --output json prints id, model, state, severity, " +
            "opened_at, detected_at, mitigated_at, resolved_at") { model, state };
        runner.SetAction(incidents, async (pr, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/incidents" + FleetApiClient.Query(("model", pr.GetValue(model)), ("state", pr.GetValue(state))), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response ?? new JsonArray());
                return;
            }

            var list = response as JsonArray ?? [];
            if (list.Count == 0)
            {
                s.Out.WriteLine("no incidents");
                return;
            }

            var table = new Table("ID", "MODEL", "STATE", "SEVERITY", "OPENED", "TTD", "TTM", "TITLE");
            foreach (var i in list)
            {
                table.Add(Str(i, "id"), Str(i, "model"), Str(i, "state"), Str(i, "severity"), Time(Str(i, "opened_at")),
                    Seconds(i, "time_to_detect_seconds"), Seconds(i, "time_to_mitigate_seconds"), Str(i, "title"));
            }

            table.WriteTo(s.Out);
        });

        var showId = new Argument<string>("ID") { Description = "The incident's id (fleet incidents)" };
        var show = new Command("show", "Show one incident with its timeline (GET /api/v1/incidents/ID)") { showId };
        runner.SetAction(show, async (pr, s) =>
        {
            var response = await s.Api.GetAsync($"/api/v1/incidents/{FleetApiClient.Segment(pr.GetValue(showId)!)}", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            WriteIncident(s.Out, response);
        });

        var incident = new Command("incident", "Show or act on one incident") { show };
        foreach (var (verb, help) in new[] { ("ack", "Acknowledge: you have it"), ("note", "Add a note to the timeline"), ("resolve", "Resolve it") })
        {
            var id = new Argument<string>("ID") { Description = "The incident's id" };
            var text = verb == "note"
                ? new Argument<string?>("TEXT") { Description = "The note", Arity = ArgumentArity.ExactlyOne }
                : new Argument<string?>("TEXT") { Description = "Optional words for the timeline", Arity = ArgumentArity.ZeroOrOne };
            var command = new Command(verb, $"{help} (POST /api/v1/incidents/ID/{verb}; the actor is $FLEET_ACTOR, else $USER)") { id, text };
            runner.SetAction(command, async (pr, s) =>
            {
                var response = await s.Api.PostJsonAsync($"/api/v1/incidents/{FleetApiClient.Segment(pr.GetValue(id)!)}/{verb}",
                    new JsonObject { ["text"] = pr.GetValue(text) }, s.CancellationToken);
                if (s.Json)
                {
                    s.WriteJson(response);
                    return;
                }

                s.Out.WriteLine($"incident {Str(response, "id")}: {Str(response, "state")}");
            });
            incident.Subcommands.Add(command);
        }

        var pmId = new Argument<string>("ID") { Description = "The incident's id" };
        var postmortem = new Command("postmortem", "Print a post-mortem draft in Markdown: summary, impact, timeline, detection, mitigation, " +
            "evidence, action items (GET /api/v1/incidents/ID/postmortem)") { pmId };
        runner.SetAction(postmortem, async (pr, s) =>
        {
            var (body, _) = await s.Api.SendTextAsync(HttpMethod.Get, $"/api/v1/incidents/{FleetApiClient.Segment(pr.GetValue(pmId)!)}/postmortem", null,
                "text/markdown", s.CancellationToken);
            s.Out.Write(body);
        });

        return [incidents, incident, postmortem];
    }

    private static void WriteIncident(TextWriter output, JsonNode? i)
    {
        output.WriteLine($"{Str(i, "id")}: {Str(i, "title")}");
        output.WriteLine($"  model {Str(i, "model")}; versions {string.Join(", ", Arr(i, "versions").Select(v => v?.ToString()))}; state {Str(i, "state")}; severity {Str(i, "severity")}");
        output.WriteLine($"  started {Time(Str(i, "started_at"))}, detected {Time(Str(i, "detected_at"))} (TTD {Seconds(i, "time_to_detect_seconds")}), " +
            $"mitigated {OrDash(StrOrNull(i, "mitigated_at") is { } m ? Time(m) : null)} (TTM {Seconds(i, "time_to_mitigate_seconds")}), " +
            $"resolved {OrDash(StrOrNull(i, "resolved_at") is { } r ? Time(r) : null)}");
        output.WriteLine();
        var table = new Table("TIME", "KIND", "ACTOR", "WHAT");
        foreach (var e in Arr(i, "timeline"))
        {
            table.Add(Time(Str(e, "time")), Str(e, "kind"), Str(e, "actor"), Str(e, "summary"));
        }

        table.WriteTo(output);
    }

    private static string Seconds(JsonNode? node, string key) => Double(node, key) is { } s ? Number(Math.Round(s, 1)) + " s" : "-";
}

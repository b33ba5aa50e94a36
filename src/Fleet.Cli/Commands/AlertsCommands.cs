using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet alerts [--state S] [--model M]</c>, <c>fleet alerts status</c>, <c>fleet alerts silence MATCHER... --for 2h --comment TEXT</c>,
/// <c>fleet alerts silences</c> and <c>fleet alerts unsilence ID</c>.
/// </summary>
internal static class AlertsCommands
{
    public static Command Create(CommandRunner runner)
    {
        var state = new Option<string?>("--state") { Description = "Only alerts in this state: pending, firing or resolved", HelpName = "STATE" };
        state.AcceptOnlyFromAmong("pending", "firing", "resolved");
        var model = new Option<string?>("--model") { Description = "Only this model's alerts", HelpName = "MODEL" };
        var alerts = new Command("alerts", "Show the alerts (pending, firing, recently resolved), newest first (GET /api/v1/alerts); " +
            "--output json prints the list with fingerprint, state, labels, annotations, starts_at, ends_at") { state, model };
        runner.SetAction(alerts, async (pr, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/alerts" + FleetApiClient.Query(("state", pr.GetValue(state)), ("model", pr.GetValue(model))), s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response ?? new JsonArray());
                return;
            }

            WriteAlerts(s.Out, response as JsonArray ?? []);
        });

        var status = new Command("status", "Show the alerting sinks, the delivery outbox and its counters (GET /api/v1/alerts/status)");
        runner.SetAction(status, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/alerts/status", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var sinks = Arr(response, "sinks").Select(x => x?.ToString()).ToArray();
            s.Out.WriteLine($"sinks: {(sinks.Length == 0 ? "none configured (alerts are kept and listed, not sent)" : string.Join(", ", sinks))}");
            s.Out.WriteLine($"alerts: {Num(response, "firing")} firing, {Num(response, "pending")} pending");
            s.Out.WriteLine($"outbox: {Num(response, "queued")} queued; delivered {Num(response, "delivered")}, failed attempts {Num(response, "failed")}, dropped {Num(response, "dropped")}");
            s.Out.WriteLine($"last evaluated: {OrDash(StrOrNull(response, "last_evaluated_at") is { } t ? Time(t) : null)}");
        });

        var budget = new Command("budget", "Show the fleet's false-alarm budget: the budget per day, the expected false alarms per detector and the alarms observed in 24 h (GET /api/v1/alerts/budget)");
        runner.SetAction(budget, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/alerts/budget", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var within = response?["within_budget"]?.GetValue<bool>() == true;
            s.Out.WriteLine($"budget: {Num(response, "budget_per_day")} false alarms/day; expected at most {Num(response, "expected_per_day")}/day ({(within ? "within budget" : "OVER BUDGET")}); " +
                $"per-look level {Num(response, "per_look_level")}");
            s.Out.WriteLine($"observed in the last 24 h: {Num(response, "observed_last_day")} alarm(s) " +
                $"{CompactJson(response?["observed_by_kind"])} (more than expected: likely real, see fleet signals)");
            var table = new Table("MODEL", "DETECTOR", "LOOKS/DAY", "CONFIGURED", "LEVEL", "EXPECTED/DAY", "ENFORCED", "NOTE");
            foreach (var line in Arr(response, "lines"))
            {
                table.Add(Str(line, "model"), Str(line, "detector"), Num(line, "looks_per_day"), Num(line, "configured_level"), Num(line, "level"),
                    Num(line, "expected_per_day"), line?["enforced"]?.GetValue<bool>() == true ? "yes" : "no", Str(line, "note"));
            }

            table.WriteTo(s.Out);
        });

        var matchers = new Argument<string[]>("MATCHER") { Description = "Label matchers, all must match: model=churn, severity!=info, version=~\"1|2\"", Arity = ArgumentArity.OneOrMore };
        var duration = new Option<string>("--for") { Description = "How long (s, m, h or d; e.g. 2h)", HelpName = "DURATION", Required = true };
        var comment = new Option<string?>("--comment") { Description = "Why (kept with the silence)", HelpName = "TEXT" };
        var silence = new Command("silence", "Silence the alerts matching every MATCHER for a while (POST /api/v1/alerts/silences)") { matchers, duration, comment };
        runner.SetAction(silence, async (pr, s) =>
        {
            var body = new JsonObject
            {
                ["matchers"] = new JsonArray([.. pr.GetValue(matchers)!.Select(m => (JsonNode)m)]),
                ["duration"] = pr.GetValue(duration),
                ["comment"] = pr.GetValue(comment),
            };
            var response = await s.Api.PostJsonAsync("/api/v1/alerts/silences", body, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"silence {Str(response, "id")} until {Time(Str(response, "ends_at"))}: {string.Join(", ", Arr(response, "matchers").Select(m => m?.ToString()))}");
        });

        var silences = new Command("silences", "List the active silences (GET /api/v1/alerts/silences)");
        runner.SetAction(silences, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/alerts/silences", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var table = new Table("ID", "MATCHERS", "UNTIL", "BY", "COMMENT");
            foreach (var x in response as JsonArray ?? [])
            {
                table.Add(Str(x, "id"), string.Join(", ", Arr(x, "matchers").Select(m => m?.ToString())), Time(Str(x, "ends_at")), Str(x, "created_by"), OrDash(Str(x, "comment")));
            }

            table.WriteTo(s.Out);
        });

        var silenceId = new Argument<string>("ID") { Description = "The silence's id (fleet alerts silences)" };
        var unsilence = new Command("unsilence", "End a silence now (DELETE /api/v1/alerts/silences/ID)") { silenceId };
        runner.SetAction(unsilence, async (pr, s) =>
        {
            var response = (await s.Api.SendAsync(HttpMethod.Delete, $"/api/v1/alerts/silences/{FleetApiClient.Segment(pr.GetValue(silenceId)!)}", null, s.CancellationToken)).Body;
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"silence {Str(response, "id")} ended");
        });

        alerts.Subcommands.Add(status);
        alerts.Subcommands.Add(budget);
        alerts.Subcommands.Add(silence);
        alerts.Subcommands.Add(silences);
        alerts.Subcommands.Add(unsilence);
        return alerts;
    }

    internal static void WriteAlerts(TextWriter output, JsonArray alerts)
    {
        if (alerts.Count == 0)
        {
            output.WriteLine("no alerts");
            return;
        }

        var table = new Table("STATE", "ALERT", "MODEL", "VERSION", "SEVERITY", "SINCE", "SUMMARY");
        foreach (var a in alerts)
        {
            var labels = a?["labels"];
            var state = Str(a, "state") + (a?["silenced"]?.GetValue<bool>() == true ? " (silenced)" : "")
                + (a?["inhibited_by"]?.GetValue<string>() is { } by ? $" (inhibited by {by})" : "");
            table.Add(state, Str(labels, "alertname"), Str(labels, "model"), OrDash(StrOrNull(labels, "version")), Str(labels, "severity"),
                Time(StrOrNull(a, "fired_at") ?? Str(a, "starts_at")), Str(a?["annotations"], "summary"));
        }

        table.WriteTo(output);
    }
}

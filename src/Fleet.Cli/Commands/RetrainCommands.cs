using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet retrain list [MODEL]</c> and <c>fleet retrain ack MODEL [--id ID] [--note TEXT]</c>.</summary>
internal static class RetrainCommands
{
    public static Command Create(CommandRunner runner)
    {
        var listModel = new Argument<string?>("MODEL") { Description = "Model name (default: all models)", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List retraining requests, newest first (GET /api/v1/retrain or /api/v1/models/MODEL/retrain)") { listModel };
        runner.SetAction(list, async (pr, s) =>
        {
            var name = pr.GetValue(listModel);
            var response = await s.Api.GetAsync(string.IsNullOrEmpty(name) ? "/api/v1/retrain" : $"/api/v1/models/{FleetApiClient.Segment(name)}/retrain", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var table = new Table("ID", "MODEL", "VERSION", "OPENED", "STATUS", "DELIVERED", "TRIGGERS");
            foreach (var request in response as JsonArray ?? [])
            {
                var deliveries = Arr(request, "deliveries");
                table.Add(Str(request, "id"), Str(request, "model"), OrDash(StrOrNull(request, "version")), Time(Str(request, "opened_at")), Str(request, "status"),
                    deliveries.Count == 0 ? "-" : $"{deliveries.Count(d => d?["ok"]?.GetValue<bool>() == true)}/{deliveries.Count}",
                    string.Join("; ", Arr(request, "triggers").Select(t => Str(t, "reason"))));
            }

            table.WriteTo(s.Out);
        });

        var ackModel = new Argument<string>("MODEL") { Description = "Model name" };
        var id = new Option<string?>("--id") { Description = "Request id (default: the open one)", HelpName = "ID" };
        var note = new Option<string?>("--note") { Description = "Why / which job took it", HelpName = "TEXT" };
        var ack = new Command("ack", "Acknowledge the open retraining request (POST /api/v1/models/MODEL/retrain/ack)") { ackModel, id, note };
        runner.SetAction(ack, async (pr, s) =>
        {
            var body = new JsonObject { ["id"] = pr.GetValue(id), ["note"] = pr.GetValue(note) };
            var response = await s.Api.PostJsonAsync($"/api/v1/models/{FleetApiClient.Segment(pr.GetValue(ackModel)!)}/retrain/ack", body, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"acknowledged retraining request {Str(response, "id")} of {Str(response, "model")}");
        });

        return new Command("retrain", "Retraining requests opened by drift, quality or staleness triggers") { list, ack };
    }
}

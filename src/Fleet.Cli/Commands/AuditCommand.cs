using System.CommandLine;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet audit MODEL</c>.</summary>
internal static class AuditCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var audit = new Command("audit", "Show a model's audit log (GET /api/v1/models/MODEL/audit)") { model };
        runner.SetAction(audit, async (pr, s) =>
        {
            var response = await s.Api.GetAsync($"/api/v1/models/{FleetApiClient.Segment(pr.GetValue(model)!)}/audit", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var table = new Table("TIME", "ACTION", "FROM", "TO", "ACTOR", "REASON");
            foreach (var entry in Arr(response, "entries"))
            {
                table.Add(Time(Str(entry, "time")), Str(entry, "action"), Str(entry, "from"), Str(entry, "to"), Str(entry, "actor"), Str(entry, "reason"));
            }

            table.WriteTo(s.Out);
        });
        return audit;
    }
}

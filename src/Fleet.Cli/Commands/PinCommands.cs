using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet pin MODEL VERSION</c> and <c>fleet unpin MODEL</c>: keep automation (the coordinator) from moving a model.</summary>
internal static class PinCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) => [CreatePin(runner), CreateUnpin(runner)];

    private static Command CreatePin(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "The live version to hold" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log and in skipped decisions)", HelpName = "TEXT" };
        var pin = new Command("pin", "Pin a model's live version: the coordinator never moves it, and promote/rollback/retire are refused until unpinned " +
            "(POST /api/v1/models/MODEL/versions/VERSION/pin)") { model, version, reason };
        runner.SetAction(pin, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var response = await s.Api.PostJsonAsync(
                $"/api/v1/models/{FleetApiClient.Segment(name)}/versions/{FleetApiClient.Segment(pr.GetValue(version)!)}/pin",
                new JsonObject { ["reason"] = pr.GetValue(reason) }, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"{name}: pinned to version {Str(response?["pin"], "version")} by {Str(response?["pin"], "actor")}");
        });
        return pin;
    }

    private static Command CreateUnpin(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit log)", HelpName = "TEXT" };
        var unpin = new Command("unpin", "Remove a model's pin (POST /api/v1/models/MODEL/unpin)") { model, reason };
        runner.SetAction(unpin, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var response = await s.Api.PostJsonAsync($"/api/v1/models/{FleetApiClient.Segment(name)}/unpin",
                new JsonObject { ["reason"] = pr.GetValue(reason) }, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine(response?["unpinned"] is JsonObject was
                ? $"{name}: unpinned (was pinned to version {Str(was, "version")} by {Str(was, "actor")})"
                : $"{name}: was not pinned");
        });
        return unpin;
    }
}

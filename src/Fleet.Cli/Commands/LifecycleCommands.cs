using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet promote</c>, <c>rollback</c>, <c>retire</c> and <c>quarantine</c>.</summary>
internal static class LifecycleCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) =>
    [
        CreatePromote(runner),
        CreateRollback(runner),
        CreateVersionAction(runner, "retire", "retired", "Retire a version: it can no longer be promoted"),
        CreateVersionAction(runner, "quarantine", "quarantined", "Quarantine a bad version: unload it and block promotion"),
    ];

    private static Option<string?> ReasonOption() =>
        new("--reason") { Description = "Why (recorded in the audit log)", HelpName = "TEXT" };

    private static Command CreatePromote(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "Version to make live" };
        var reason = ReasonOption();
        var force = new Option<bool>("--force")
        {
            Description = "Promote even when the promotion gate refuses (the version is clearly worse than live on its labelled reference, or below the floors); needs --reason, audited",
        };
        var promote = new Command("promote", "Make a version the live one (POST .../versions/VERSION/promote); refused, with the numbers, when the version is clearly worse than live")
        {
            model, version, reason, force,
        };
        runner.SetAction(promote, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            if (pr.GetValue(force) && string.IsNullOrWhiteSpace(pr.GetValue(reason)))
            {
                throw new UsageException("--force needs --reason: say why a version the gate refuses goes live anyway (it is audited)");
            }

            var body = new JsonObject { ["reason"] = pr.GetValue(reason) };
            if (pr.GetValue(force))
            {
                body["force"] = true;
            }

            var response = await s.Api.PostJsonAsync(
                $"/api/v1/models/{FleetApiClient.Segment(name)}/versions/{FleetApiClient.Segment(pr.GetValue(version)!)}/promote",
                body,
                s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var live = StrOrNull(response, "live_version") ?? pr.GetValue(version);
            s.Out.WriteLine($"{name}: {live} is live (was {StrOrNull(response, "previous_live_version") ?? "none"})");
            if (StrOrNull(response, "evidence") is { } evidence)
            {
                s.Out.WriteLine($"  evidence: {evidence}");
            }
        });
        return promote;
    }

    private static Command CreateRollback(CommandRunner runner)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var to = new Option<string?>("--to") { Description = "Version to go back to (default: the previous live version)", HelpName = "VERSION" };
        var reason = ReasonOption();
        var quarantine = new Option<bool>("--quarantine") { Description = "Also quarantine the version being rolled back" };
        var rollback = new Command("rollback", "Go back to an earlier version (POST /api/v1/models/MODEL/rollback)")
        {
            model, to, reason, quarantine,
        };
        runner.SetAction(rollback, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var response = await s.Api.PostJsonAsync(
                $"/api/v1/models/{FleetApiClient.Segment(name)}/rollback",
                new JsonObject
                {
                    ["to"] = pr.GetValue(to),
                    ["reason"] = pr.GetValue(reason),
                    ["quarantine"] = pr.GetValue(quarantine),
                },
                s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine(
                $"{name}: rolled back from {StrOrNull(response, "previous_live_version") ?? "none"} " +
                $"to {StrOrNull(response, "live_version") ?? "none"}");
        });
        return rollback;
    }

    private static Command CreateVersionAction(CommandRunner runner, string action, string pastTense, string description)
    {
        var model = new Argument<string>("MODEL") { Description = "Model name" };
        var version = new Argument<string>("VERSION") { Description = "Version id" };
        var reason = ReasonOption();
        var command = new Command(action, $"{description} (POST .../versions/VERSION/{action})") { model, version, reason };
        runner.SetAction(command, async (pr, s) =>
        {
            var name = pr.GetValue(model)!;
            var id = pr.GetValue(version)!;
            var response = await s.Api.PostJsonAsync(
                $"/api/v1/models/{FleetApiClient.Segment(name)}/versions/{FleetApiClient.Segment(id)}/{action}",
                new JsonObject { ["reason"] = pr.GetValue(reason) },
                s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"{name}: version {StrOrNull(response, "version") ?? id} is {StrOrNull(response, "state") ?? pastTense}");
        });
        return command;
    }
}

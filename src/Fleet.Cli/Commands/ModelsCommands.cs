using System.CommandLine;
using System.Text.Json.Nodes;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet models list</c> and <c>fleet models register</c>.</summary>
internal static class ModelsCommands
{
    public static readonly string[] Tasks = ["classification", "regression", "embedding", "other"];

    public static Command Create(CommandRunner runner)
    {
        var models = new Command("models", "List and register models");
        models.Subcommands.Add(CreateList(runner));
        models.Subcommands.Add(CreateRegister(runner));
        return models;
    }

    private static Command CreateList(CommandRunner runner)
    {
        var list = new Command("list", "List registered models (GET /api/v1/models)");
        runner.SetAction(list, async (_, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/models", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            var table = new Table("NAME", "TASK", "LIVE", "VERSIONS", "DESCRIPTION");
            foreach (var model in Arr(response, "models"))
            {
                table.Add(Str(model, "name"), Str(model, "task"), Str(model, "live_version"), Str(model, "version_count"), Str(model, "description"));
            }

            table.WriteTo(s.Out);
        });
        return list;
    }

    private static Command CreateRegister(CommandRunner runner)
    {
        var name = new Argument<string>("NAME") { Description = "Model name" };
        var task = new Option<string>("--task") { Description = "What the model does", Required = true };
        CommandRunner.Choices(task, Tasks);
        var description = new Option<string?>("--description") { Description = "Free-text description", HelpName = "TEXT" };

        var register = new Command("register", "Register a new model (POST /api/v1/models)") { name, task, description };
        runner.SetAction(register, async (pr, s) =>
        {
            var body = new JsonObject
            {
                ["name"] = pr.GetValue(name),
                ["task"] = pr.GetValue(task),
                ["description"] = pr.GetValue(description),
            };
            var response = await s.Api.PostJsonAsync("/api/v1/models", body, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
                return;
            }

            s.Out.WriteLine($"registered model {StrOrNull(response, "name") ?? pr.GetValue(name)}");
        });
        return register;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet status [MODEL]</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = "Show one model in detail (default: the whole host)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var status = new Command("status", "Show what is loaded where (GET /api/v1/status or /api/v1/models/MODEL)") { model };
        runner.SetAction(status, async (pr, s) =>
        {
            var name = pr.GetValue(model);
            var path = string.IsNullOrEmpty(name) ? "/api/v1/status" : $"/api/v1/models/{FleetApiClient.Segment(name)}";
            var response = await s.Api.GetAsync(path, s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response);
            }
            else if (string.IsNullOrEmpty(name))
            {
                WriteClusterStatus(s.Out, response);
            }
            else
            {
                WriteModelStatus(s.Out, response);
            }
        });
        return status;
    }

    private static void WriteClusterStatus(TextWriter output, JsonNode? response)
    {
        var hosts = response is JsonObject obj && obj["host"] is JsonArray many ? many.ToList() : [response?["host"]];
        foreach (var host in hosts.Where(h => h is not null))
        {
            output.WriteLine(
                $"host: {OrDash(Str(host, "silo"))} address={OrDash(Str(host, "address"))} " +
                $"cluster={OrDash(Str(host, "cluster_mode"))} provider={OrDash(Str(host, "execution_provider"))} " +
                $"started={OrDash(Time(Str(host, "started_at")))}");
        }

        output.WriteLine();
        var table = new Table("MODEL", "LIVE", "LOADED", "STATE", "PROVIDER", "ERROR");
        foreach (var model in Arr(response, "models"))
        {
            var loaded = Arr(model, "loaded");
            if (loaded.Count == 0)
            {
                table.Add(Str(model, "name"), Str(model, "live_version"), "", "", "", "");
            }

            foreach (var entry in loaded)
            {
                table.Add(Str(model, "name"), Str(model, "live_version"), Str(entry, "version"), Str(entry, "state"), Str(entry, "provider"), Str(entry, "error"));
            }
        }

        table.WriteTo(output);
    }

    private static void WriteModelStatus(TextWriter output, JsonNode? model)
    {
        output.WriteLine($"model:        {OrDash(Str(model, "name"))}");
        output.WriteLine($"task:         {OrDash(Str(model, "task"))}");
        output.WriteLine($"description:  {OrDash(Str(model, "description"))}");
        output.WriteLine($"created:      {OrDash(Time(Str(model, "created_at")))}");
        output.WriteLine($"live version: {OrDash(Str(model, "live_version"))}");
        var replicas = model?["replicas"] is JsonArray placed ? string.Join(", ", placed.Select(r => Str(r, "host"))) : "every host (not placed)";
        output.WriteLine($"replicas:     {replicas}");
        output.WriteLine();
        VersionsCommands.VersionTable(Arr(model, "versions")).WriteTo(output);
        output.WriteLine();
        var hosts = new Table("SILO", "VERSION", "STATE", "PROVIDER", "ERROR");
        foreach (var host in Arr(model, "hosts"))
        {
            hosts.Add(Str(host, "silo"), Str(host, "version"), Str(host, "state"), Str(host, "provider"), Str(host, "error"));
        }

        hosts.WriteTo(output);
    }
}

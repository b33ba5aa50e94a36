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

            if (string.IsNullOrEmpty(name))
            {
                s.ExitCode = ExitCode(response);
            }
        });
        return status;
    }

    /// <summary>
    /// <see cref="ExitCodes.Degraded"/> when a host is degraded or unhealthy or any loaded version is failing its probe (a
    /// failing fallback answers right today and wrong on the day it is needed: a script should know now).
    /// </summary>
    internal static int ExitCode(JsonNode? response)
    {
        var unhealthy = Hosts(response).Any(h => Str(h, "status") is "unhealthy" or "degraded");
        var failing = Arr(response, "models").SelectMany(m => Arr(m, "loaded"))
            .Any(l => Str(l, "probe").StartsWith("failing", StringComparison.Ordinal));
        return unhealthy || failing ? ExitCodes.Degraded : ExitCodes.Ok;
    }

    private static IEnumerable<JsonNode> Hosts(JsonNode? response) =>
        (response is JsonObject obj && obj["host"] is JsonArray many ? many.ToList() : [response?["host"]]).OfType<JsonNode>();

    /// <summary>
    /// The host line and its reasons, then a table (MODEL LIVE LOADED ROLE STATE PROVIDER PROBE ERROR) with the probe
    /// state's headline, then each probe reason as <c>  MODEL:VERSION: failing: reason</c>.
    /// </summary>
    internal static void WriteClusterStatus(TextWriter output, JsonNode? response)
    {
        foreach (var host in Hosts(response))
        {
            var version = StrOrNull(host, "version") is { } v ? $" version={v}" : string.Empty;
            var status = StrOrNull(host, "status") is { } st ? $" status={st}" : string.Empty;
            output.WriteLine(
                $"host: {OrDash(Str(host, "silo"))}{status} address={OrDash(Str(host, "address"))} " +
                $"cluster={OrDash(Str(host, "cluster_mode"))} provider={OrDash(Str(host, "execution_provider"))} " +
                $"started={OrDash(Time(Str(host, "started_at")))}{version}");
            foreach (var reason in Arr(host, "reasons"))
            {
                output.WriteLine($"  {reason}");
            }
        }

        output.WriteLine();
        var table = new Table("MODEL", "LIVE", "LOADED", "ROLE", "STATE", "PROVIDER", "PROBE", "ERROR");
        var details = new List<string>();
        foreach (var model in Arr(response, "models"))
        {
            var loaded = Arr(model, "loaded");
            if (loaded.Count == 0)
            {
                table.Add(Str(model, "name"), Str(model, "live_version"), "", "", "", "", "", "");
            }

            foreach (var entry in loaded)
            {
                var probe = Str(entry, "probe");
                var (headline, detail) = ProbeHeadline(probe);
                table.Add(Str(model, "name"), Str(model, "live_version"), Str(entry, "version"), Str(entry, "role"), Str(entry, "state"),
                    Str(entry, "provider"), headline, Str(entry, "error"));
                if (detail)
                {
                    details.Add($"  {Str(model, "name")}:{Str(entry, "version")}: {probe}");
                }
            }
        }

        table.WriteTo(output);
        foreach (var line in details)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>
    /// The probe state for the table: <c>failing: reason</c> and <c>never passed (last: ...)</c> are shortened to their
    /// first words, the whole text follows the table.
    /// </summary>
    private static (string Headline, bool Detail) ProbeHeadline(string probe)
    {
        foreach (var head in new[] { "failing", "never passed" })
        {
            if (probe.StartsWith(head, StringComparison.Ordinal) && probe.Length > head.Length)
            {
                return (head, true);
            }
        }

        return (probe, false);
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

using System.CommandLine;
using System.Text.Json.Nodes;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary><c>fleet hosts</c>: every host, its probe status and reasons, provider, memory and loaded versions.</summary>
internal static class HostsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var hosts = new Command("hosts", "List hosts with their probe status, reasons, provider, memory and loaded versions (GET /api/v1/hosts); " +
            "--output json prints the list");
        runner.SetAction(hosts, async (pr, s) =>
        {
            var response = await s.Api.GetAsync("/api/v1/hosts", s.CancellationToken);
            if (s.Json)
            {
                s.WriteJson(response?["hosts"] ?? new JsonArray());
            }
            else
            {
                WriteHosts(s.Out, response);
            }

            s.ExitCode = ExitCode(response);
        });
        return hosts;
    }

    /// <summary><see cref="ExitCodes.Degraded"/> when any host is not healthy (degraded, unhealthy, or a status this client does not know).</summary>
    internal static int ExitCode(JsonNode? response) =>
        Arr(response, "hosts").Any(h => Str(h, "status") != "healthy") ? ExitCodes.Degraded : ExitCodes.Ok;

    /// <summary>A table (HOST STATUS PROVIDER MEMORY MODELS LAST_PROBE), then each reason as <c>  HOST: reason</c>.</summary>
    internal static void WriteHosts(TextWriter output, JsonNode? response)
    {
        var list = Arr(response, "hosts");
        var table = new Table("HOST", "STATUS", "PROVIDER", "MEMORY", "MODELS", "LAST_PROBE");
        foreach (var host in list)
        {
            var memory = Long(host?["memory"], "working_set_bytes");
            table.Add(Str(host, "id"), Str(host, "status"), OrDash(Str(host, "provider")), memory is { } bytes ? Bytes(bytes) : "-",
                Models(Arr(host, "models")), OrDash(Time(Str(host, "last_probe"))));
        }

        table.WriteTo(output);
        foreach (var host in list)
        {
            foreach (var reason in Arr(host, "reasons"))
            {
                output.WriteLine($"  {Str(host, "id")}: {reason}");
            }
        }
    }

    /// <summary><c>wine:1 (live), wine:0 (fallback, failing)</c>: each loaded version, its role, and its verdict unless passing.</summary>
    private static string Models(IReadOnlyList<JsonNode?> models) => models.Count == 0 ? "-" : string.Join(", ", models.Select(m =>
    {
        var verdict = Str(m, "verdict");
        return $"{Str(m, "model")}:{Str(m, "version")} ({Str(m, "role")}{(verdict == "passing" ? string.Empty : ", " + verdict)})";
    }));
}

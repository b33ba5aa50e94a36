using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;
using static Fleet.Cli.Format;

namespace Fleet.Cli.Commands;

/// <summary>
/// <c>fleet --version</c>: this client's version and the server's (<c>host.version</c> of <c>GET /api/v1/status</c>).
/// The client's is printed even when the server cannot be asked; the exit code then says why (3 unreachable, 1 refused).
/// </summary>
internal sealed class VersionAction(GlobalOptions globals, CliContext context) : AsynchronousCommandLineAction
{
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        CliSettings settings;
        try
        {
            settings = globals.Resolve(parseResult, context);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }

        string? server = null;
        string? problem = null;
        var exitCode = ExitCodes.Ok;
        using (var api = new FleetApiClient(settings, context.Handler))
        {
            try
            {
                var status = await api.GetAsync("/api/v1/status", cancellationToken);
                server = StrOrNull(status?["host"], "version");
                problem = server is null ? "unknown (GET /api/v1/status has no host.version: a server older than this client)" : null;
            }
            catch (FleetUnreachableException e)
            {
                (problem, exitCode) = ($"unreachable ({e.Reason})", ExitCodes.Unreachable);
            }
            catch (FleetServerException e)
            {
                (problem, exitCode) = ($"error ({e.Message}, HTTP {e.StatusCode})", ExitCodes.ServerError);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine("error: cancelled");
                return ExitCodes.Cancelled;
            }
        }

        if (settings.Output == OutputFormat.Json)
        {
            var json = new JsonObject { ["client"] = FleetCli.Version, ["server"] = server, ["server_url"] = settings.ServerUrl };
            if (problem is not null)
            {
                json["server_error"] = problem;
            }

            context.Out.WriteLine(Json(json));
        }
        else
        {
            context.Out.WriteLine($"client: {FleetCli.Version}");
            context.Out.WriteLine($"server: {server ?? problem} ({settings.ServerUrl})");
        }

        return exitCode;
    }
}

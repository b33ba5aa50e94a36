using Fleet.Cli;

namespace Fleet.Tests.Infrastructure;

/// <summary>Runs the fleet CLI in-process against a test server, as a deployment script would (FLEET_SERVER, FLEET_TOKEN, USER=ci-bot).</summary>
public static class FleetCommand
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(FleetServer server, string? token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var address = server.BaseAddress.ToString().TrimEnd('/');
        var exit = await FleetCli.RunAsync(args, new CliContext
        {
            Out = output,
            Error = error,
            GetEnvironmentVariable = name => name switch
            {
                "FLEET_SERVER" => address,
                "FLEET_TOKEN" => token,
                "USER" => "ci-bot",
                _ => null,
            },
        });
        return (exit, output.ToString(), error.ToString());
    }
}

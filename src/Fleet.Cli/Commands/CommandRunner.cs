using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Cli.Http;

namespace Fleet.Cli.Commands;

/// <summary>What a command body gets: resolved settings, an API client and the output streams.</summary>
internal sealed class CommandSession(CliContext context, CliSettings settings, FleetApiClient api, CancellationToken cancellationToken)
{
    public CliContext Context { get; } = context;
    public CliSettings Settings { get; } = settings;
    public FleetApiClient Api { get; } = api;
    public CancellationToken CancellationToken { get; } = cancellationToken;
    public TextWriter Out => Context.Out;
    public TextWriter Error => Context.Error;
    public bool Json => Settings.Output == OutputFormat.Json;

    /// <summary>The exit code once the body returns (a report command sets <see cref="ExitCodes.Degraded"/> after printing).</summary>
    public int ExitCode { get; set; } = ExitCodes.Ok;

    /// <summary>Prints the server's JSON response (indented) for <c>--output json</c>.</summary>
    public void WriteJson(JsonNode? node)
    {
        if (node is not null)
        {
            Out.WriteLine(Format.Json(node));
        }
    }
}

/// <summary>Wires command bodies to System.CommandLine and maps failures to exit codes.</summary>
internal sealed class CommandRunner(GlobalOptions globals, CliContext context)
{
    public GlobalOptions Globals { get; } = globals;

    public void SetAction(Command command, Func<ParseResult, CommandSession, Task> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, body, cancellationToken));

    private async Task<int> RunAsync(ParseResult parseResult, Func<ParseResult, CommandSession, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            var settings = Globals.Resolve(parseResult, context);
            using var api = new FleetApiClient(settings, context.Handler);
            var session = new CommandSession(context, settings, api, cancellationToken);
            await body(parseResult, session);
            return session.ExitCode;
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (FleetServerException e)
        {
            context.Error.WriteLine($"error: {e.Message} (HTTP {e.StatusCode})");
            return ExitCodes.ServerError;
        }
        catch (FleetUnreachableException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Error.WriteLine("error: cancelled");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Restricts a string option to a fixed set of values, with a message naming the option.</summary>
    public static void Choices(Option<string> option, params string[] values)
    {
        option.HelpName = string.Join('|', values);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !values.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"Invalid value '{value}' for {option.Name}: expected one of {string.Join(", ", values)}.");
            }
        });
    }
}

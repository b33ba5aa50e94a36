using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using Fleet.Cli.Commands;

namespace Fleet.Cli;

/// <summary>The <c>fleet</c> command line: parses arguments, runs the command, returns the exit code.</summary>
public static class FleetCli
{
    private const string Description =
        "fleet: manage models on a Fleet cluster from deployment scripts " +
        "(register models, upload ONNX versions with reference data, promote, roll back, inspect, " +
        "manage input contracts and fallbacks, read serving statistics, run predictions, watch drift and quality, " +
        "send ground-truth labels, handle retraining requests, see hosts, the coordinator's decisions and pins, manage API tokens).";

    /// <summary>Runs <c>fleet</c> with <paramref name="args"/>; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);

        var root = BuildRootCommand(context);
        var parseResult = root.Parse(args);

        // --help wins over every error; --version only over the missing subcommand ("fleet --version" has none), so a
        // bad --output or --server next to it is still a usage error.
        var errors = parseResult.Action switch
        {
            HelpWithExitCodesAction => [],
            VersionAction => parseResult.Errors.Where(e => !IsMissingSubcommand(e, parseResult.UnmatchedTokens)).ToList(),
            _ => parseResult.Errors,
        };
        if (errors.Count > 0)
        {
            WriteUsageErrors(parseResult, context.Error);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration, context.CancellationToken);
    }

    /// <summary>Builds the command tree; every command's action is bound to <paramref name="context"/>.</summary>
    internal static Command BuildRootCommand(CliContext context)
    {
        // A plain Command named "fleet" rather than RootCommand, whose name is the host executable's
        // (which would be "testhost" under tests and "dotnet" under some launchers).
        var root = new Command("fleet", Description);
        var help = new HelpOption();
        help.Action = new HelpWithExitCodesAction((HelpAction)help.Action!);
        root.Options.Add(help);
        var globals = new GlobalOptions();
        globals.AddTo(root);
        // Not VersionOption: it prints the entry assembly's version (the test host's under tests), cannot ask the
        // server, and refuses other options (so "fleet --version --server URL" would be a usage error).
        root.Options.Add(new Option<bool>("--version")
        {
            Description = "Show the client's version and the server's (GET /api/v1/status)",
            Arity = ArgumentArity.Zero,
            Action = new VersionAction(globals, context),
        });
        var runner = new CommandRunner(globals, context);

        root.Subcommands.Add(ModelsCommands.Create(runner));
        root.Subcommands.Add(VersionsCommands.Create(runner));
        root.Subcommands.Add(ContractCommands.Create(runner));
        root.Subcommands.Add(ConfigCommands.Create(runner));
        foreach (var command in LifecycleCommands.Create(runner))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(AuditCommand.Create(runner));
        root.Subcommands.Add(StatusCommand.Create(runner));
        root.Subcommands.Add(StatsCommand.Create(runner));
        root.Subcommands.Add(InferCommand.Create(runner));
        root.Subcommands.Add(DriftCommand.Create(runner));
        root.Subcommands.Add(QualityCommand.Create(runner));
        root.Subcommands.Add(FeedbackCommand.Create(runner));
        root.Subcommands.Add(RetrainCommands.Create(runner));
        root.Subcommands.Add(ExportCommand.Create(runner));
        root.Subcommands.Add(HostsCommand.Create(runner));
        root.Subcommands.Add(DecisionsCommand.Create(runner));
        root.Subcommands.Add(SignalsCommand.Create(runner));
        root.Subcommands.Add(TraceCommand.Create(runner));
        root.Subcommands.Add(AlertsCommands.Create(runner));
        root.Subcommands.Add(TokensCommands.Create(runner));
        foreach (var command in IncidentCommands.Create(runner))
        {
            root.Subcommands.Add(command);
        }

        foreach (var command in PinCommands.Create(runner))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    /// <summary>Prints parse errors, the usage line of the command and a pointer to --help (exit code 2 follows).</summary>
    private static void WriteUsageErrors(ParseResult parseResult, TextWriter error)
    {
        // "Required command was not provided" is noise next to "Unrecognized command or argument 'x'".
        var errors = parseResult.Errors.ToList();
        var meaningful = errors.Where(e => !IsMissingSubcommand(e, parseResult.UnmatchedTokens)).ToList();
        foreach (var e in meaningful.Count > 0 ? meaningful : errors)
        {
            error.WriteLine($"error: {e.Message}");
        }

        var command = parseResult.CommandResult.Command;
        var path = CommandPath(parseResult.CommandResult);
        var usage = new List<string> { path };
        if (command.Subcommands.Count > 0)
        {
            usage.Add("<command>");
        }

        usage.AddRange(command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[<{a.Name}>]" : $"<{a.Name}>"));
        usage.Add("[options]");
        error.WriteLine($"usage: {string.Join(' ', usage)}");
        error.WriteLine($"Run '{path} --help' for more information.");
    }

    private static bool IsMissingSubcommand(ParseError error, IReadOnlyList<string> unmatchedTokens) =>
        error.SymbolResult is CommandResult { Command: { Action: null, Subcommands.Count: > 0 } }
        && !unmatchedTokens.Any(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal));

    private static string CommandPath(CommandResult? result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as CommandResult)
        {
            names.Add(current.Command.Name);
        }

        names.Reverse();
        return names.Count == 0 ? "fleet" : string.Join(' ', names);
    }

    /// <summary>The informational version of this assembly (0.1.0+commit).</summary>
    public static string Version =>
        typeof(FleetCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The standard help, followed by the exit codes and environment variables.</summary>
    private sealed class HelpWithExitCodesAction(HelpAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var result = inner.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.HelpText);
            return result;
        }
    }
}

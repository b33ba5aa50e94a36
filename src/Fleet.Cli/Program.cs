using Fleet.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C cancels the running request; a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await FleetCli.RunAsync(args, CliContext.ForConsole(cancellation.Token));

namespace Fleet.Cli;

/// <summary>
/// Everything the CLI takes from its surroundings, so that tests can run it in-process:
/// output streams, environment variables and (optionally) the HTTP handler to use.
/// </summary>
public sealed class CliContext
{
    /// <summary>Where results go (stdout).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where errors and progress go (stderr).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable (FLEET_SERVER, FLEET_TOKEN, USER); returns null when unset.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>
    /// The HTTP handler to send requests through, for example an in-process test server's handler.
    /// When null a new <see cref="SocketsHttpHandler"/> is used. A handler given here is not disposed.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Standard input, read by <c>fleet infer --input -</c>. Defaults to an empty reader.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Whether upload progress may be drawn on <see cref="Error"/> (true only for an interactive terminal).</summary>
    public bool ShowProgress { get; init; }

    /// <summary>Cancels the running command (Ctrl+C).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>A context bound to the process console and environment.</summary>
    public static CliContext ForConsole(CancellationToken cancellationToken = default) => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        ShowProgress = !Console.IsErrorRedirected,
        CancellationToken = cancellationToken,
    };
}

namespace Fleet.Cli;

/// <summary>Process exit codes of the <c>fleet</c> CLI. Scripts may rely on these values.</summary>
public static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Ok = 0;

    /// <summary>The server answered with an HTTP error (4xx or 5xx).</summary>
    public const int ServerError = 1;

    /// <summary>Bad or missing arguments, or an unreadable / invalid local file.</summary>
    public const int Usage = 2;

    /// <summary>The server could not be reached (connection refused, DNS failure, timeout).</summary>
    public const int Unreachable = 3;

    /// <summary>
    /// <c>fleet hosts</c>: a host is degraded or unhealthy; <c>fleet status</c>: the host is unhealthy or a live version is
    /// failing its probe. The output is printed in full, as with 0.
    /// </summary>
    public const int Degraded = 4;

    /// <summary>The command was interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    internal const string HelpText = """
        Exit codes:
          0    success
          1    the server refused the request (HTTP 4xx/5xx); its message is printed to stderr
          2    usage error: bad or missing arguments, unreadable local file, invalid JSON in a local file
          3    server unreachable: connection refused, DNS failure or timeout
          4    degraded: fleet hosts found a degraded or unhealthy host, fleet status an unhealthy host or a live
               version failing its probe (the output is printed in full)
          130  interrupted (Ctrl+C)

        Environment:
          FLEET_SERVER  server URL when --server is not given (default http://127.0.0.1:8080)
          FLEET_TOKEN   bearer token when --token is not given
          FLEET_ACTOR   sent as the Fleet-Actor header (else USER, else the OS user name)
        """;
}

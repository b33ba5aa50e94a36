namespace Fleet.Cli;

/// <summary>A usage problem detected by the CLI itself (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The server answered with an HTTP error status (exit code 1).</summary>
internal sealed class FleetServerException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>The server could not be reached at all (exit code 3).</summary>
internal sealed class FleetUnreachableException(string serverUrl, string reason)
    : Exception($"cannot reach Fleet server at {serverUrl}: {reason}")
{
    public string ServerUrl { get; } = serverUrl;

    /// <summary>Why the server could not be reached ("Connection refused (127.0.0.1:8080)").</summary>
    public string Reason { get; } = reason;
}

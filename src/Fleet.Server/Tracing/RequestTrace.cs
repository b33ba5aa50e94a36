namespace Fleet.Server.Tracing;

/// <summary>
/// What one answered prediction went through on the silo that ran it: model, the version it ran on and the one whose
/// answer was returned (the last-known-good when a fallback answered), host, who forwarded it here,
/// the input checks that flagged something, the output check and the fallback step that answered instead, the
/// execution provider and the latency. Kept by <see cref="TraceLedger"/>; <c>fleet trace ID</c> shows it with its label.
/// </summary>
internal sealed record RequestTrace(
    string Id,
    string Model,
    string Version,
    string AnsweredBy,
    string Host,
    DateTimeOffset At,
    double LatencyMs,
    string Outcome,
    string? ForwardedBy,
    string Provider,
    string[] InputChecks,
    int OutlierRows,
    string? Fallback,
    string? TraceId);

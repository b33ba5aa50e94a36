namespace Fleet.Abstractions.Alerting;

/// <summary>
/// A model's overrides of the built-in rules (<c>fleet config set MODEL alert.for=10s alert.keep_firing_for=1m
/// alert.latency_p99_ms=50 alert.error_rate=0.02 alert.violation_rate=0.02 alert.fallback_rate=0.1</c>); null: the
/// rule's own (0 s for both waits; the rates and latency from <c>Fleet:Alerting:Serving</c>). Fields 2 to 5 were
/// added later: settings stored before read them as null.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.AlertSettings")]
public sealed record AlertSettings(
    [property: Id(0)] TimeSpan? For,
    [property: Id(1)] TimeSpan? KeepFiringFor,
    [property: Id(2)] double? LatencyP99Ms = null,
    [property: Id(3)] double? ErrorRate = null,
    [property: Id(4)] double? ViolationRate = null,
    [property: Id(5)] double? FallbackRate = null)
{
    public static AlertSettings Default { get; } = new(null, null);
}

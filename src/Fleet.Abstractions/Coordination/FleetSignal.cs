using Fleet.Abstractions.Alerting;

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// One typed event in the fleet's signal stream: what happened (<see cref="Kind"/>), to which model version (and
/// <see cref="Host"/>, where one host saw it), a one-line reason and the numbers (<see cref="Evidence"/>).
/// <see cref="Id"/> (<c>s000001</c>, ...) is given when the coordinator records it; <see cref="Severity"/> defaults
/// by kind (<see cref="SignalKinds.DefaultSeverity"/>); <see cref="Subject"/> names what a kind is about beyond the
/// version (a decision's action); <see cref="RequestIds"/> are the requests that contributed, where known.
/// Fields 6 to 10 were added after signals were first stored: older signals read back with them null.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FleetSignal")]
public sealed record FleetSignal(
    [property: Id(0)] SignalKind Kind,
    [property: Id(1)] string Model,
    [property: Id(2)] string? Version,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string Reason,
    [property: Id(5)] Dictionary<string, double> Evidence,
    [property: Id(6)] string? Host = null,
    [property: Id(7)] Severity? Severity = null,
    [property: Id(8)] string? Id = null,
    [property: Id(9)] string? Subject = null,
    [property: Id(10)] string[]? RequestIds = null)
{
    /// <summary>The model name of signals about Fleet itself (no model name can start with '_').</summary>
    public const string FleetModel = "_fleet";

    /// <summary>The signal's own severity, else its kind's default.</summary>
    public Severity EffectiveSeverity => Severity ?? Kind.DefaultSeverity();
}

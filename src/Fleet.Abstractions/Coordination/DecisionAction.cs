using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Coordination;

/// <summary>
/// What a <see cref="Decision"/> does. Stored and sent as its snake_case name (<c>rollback</c>, ...), the string
/// it was before it became an enum (<see cref="DecisionActionCodec"/>).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DecisionAction>))]
public enum DecisionAction
{
    /// <summary>The live version back to the last-known-good, the bad one quarantined.</summary>
    Rollback,

    /// <summary>One host reloads a version from its verified artifact.</summary>
    Reload,

    /// <summary>The policy fired but a safety rule held it back; <see cref="Decision.IntendedAction"/> says what it would have done.</summary>
    Skipped,

    /// <summary>The model's replicas spread over hosts.</summary>
    Place,

    /// <summary>Replicas moved off dead or unhealthy hosts.</summary>
    Failover,

    /// <summary>No healthy host is left for the model: its hosts serve through their fallback chain.</summary>
    Degraded,
}

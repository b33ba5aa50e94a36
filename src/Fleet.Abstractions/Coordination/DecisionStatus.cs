using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Coordination;

/// <summary>Where a <see cref="Decision"/> stands; stored and sent as <c>pending</c>, <c>done</c>, <c>failed</c> (<see cref="DecisionStatusCodec"/>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DecisionStatus>))]
public enum DecisionStatus
{
    /// <summary>Recorded, not yet applied: finished after a coordinator restart.</summary>
    Pending,

    Done,

    Failed,
}

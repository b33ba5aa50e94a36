using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Alerting;

/// <summary>
/// An alert's state, with Prometheus's semantics: <c>pending</c> while its condition holds for less than the rule's
/// <c>for</c>, <c>firing</c> after, <c>resolved</c> once the condition has stopped holding for the rule's
/// <c>keep_firing_for</c>. An alert whose condition stops while pending goes back to inactive without a notification.
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AlertState>))]
public enum AlertState
{
    Inactive,
    Pending,
    Firing,
    Resolved,
}

using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Alerting;

/// <summary>How urgent a signal, alert or incident is; ordered, so the most severe of several is their <c>Max</c>.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>For the record (a retraining request, a replica placement).</summary>
    Info,

    /// <summary>Someone should look today (a label-free quality estimate dropped, a decision held back by a safety rule).</summary>
    Warning,

    /// <summary>Someone should look now; opens an incident (confirmed drift, failing probes, a rollback).</summary>
    Critical,
}

using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Monitoring;

/// <summary>Where a <see cref="RetrainRequest"/> stands; stored and sent as <c>open</c> or <c>acked</c> (<see cref="RetrainStatusCodec"/>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<RetrainStatus>))]
public enum RetrainStatus
{
    /// <summary>Collecting triggers; at most one per model.</summary>
    Open,

    /// <summary>Acknowledged (someone took it on): the next trigger opens a new request.</summary>
    Acked,
}

using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Coordination;

/// <summary>What a <see cref="FleetSignal"/> says happened; stored and sent in snake_case (<see cref="SignalKindCodec"/>).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SignalKind>))]
public enum SignalKind
{
    /// <summary>A version's inputs or outputs drifted (confirmed).</summary>
    Drift,

    /// <summary>A drifted version is back to no drift.</summary>
    DriftCleared,

    /// <summary>Labelled accuracy (or error) is clearly worse than the reference's.</summary>
    QualityDrop,

    /// <summary>The label-free estimate (CBPE) is clearly worse than the reference's.</summary>
    EstimatedQualityDrop,

    /// <summary>A retraining request was opened.</summary>
    RetrainRequested,

    /// <summary>A host's probes of a version started failing.</summary>
    ProbeFailed,

    /// <summary>A host's probes of a version pass again.</summary>
    ProbeRecovered,
}

public static class SignalKinds
{
    /// <summary>The word for reasons and logs, as JSON and storage spell it.</summary>
    public static string ToWire(this SignalKind kind) => kind switch
    {
        SignalKind.Drift => "drift",
        SignalKind.DriftCleared => "drift_cleared",
        SignalKind.QualityDrop => "quality_drop",
        SignalKind.EstimatedQualityDrop => "estimated_quality_drop",
        SignalKind.RetrainRequested => "retrain_requested",
        SignalKind.ProbeFailed => "probe_failed",
        SignalKind.ProbeRecovered => "probe_recovered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

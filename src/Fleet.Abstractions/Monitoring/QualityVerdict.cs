using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// A <see cref="QualityReport"/>'s verdict, stored and sent as <c>ok</c>, <c>quality-drop</c> (labelled quality clearly
/// worse than the reference), <c>estimated-quality-drop</c> (the label-free estimate clearly worse) or
/// <c>insufficient-data</c> (<see cref="QualityVerdictCodec"/>).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<QualityVerdict>))]
public enum QualityVerdict
{
    [JsonStringEnumMemberName("ok")]
    Ok,

    [JsonStringEnumMemberName("quality-drop")]
    QualityDrop,

    [JsonStringEnumMemberName("estimated-quality-drop")]
    EstimatedQualityDrop,

    [JsonStringEnumMemberName("insufficient-data")]
    InsufficientData,
}

public static class QualityVerdicts
{
    /// <summary>The word for reasons, logs and the grain's last-verdict memory, as JSON and storage spell it.</summary>
    public static string ToWire(this QualityVerdict verdict) => verdict switch
    {
        QualityVerdict.Ok => "ok",
        QualityVerdict.QualityDrop => "quality-drop",
        QualityVerdict.EstimatedQualityDrop => "estimated-quality-drop",
        QualityVerdict.InsufficientData => "insufficient-data",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}

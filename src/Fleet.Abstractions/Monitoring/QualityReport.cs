using Fleet.Monitoring.Quality;

namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// Quality of one version over a window: realised (from joined labels), estimated without labels (CBPE on the
/// live window's confidences, classifiers only) and the reference values, with the concept-drift verdict.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.QualityReport")]
public sealed record QualityReport(
    [property: Id(0)] string Version,
    [property: Id(1)] DateTimeOffset CheckedAt,
    [property: Id(2)] TimeSpan Window,
    [property: Id(3)] int LabelsJoined,
    [property: Id(4)] long LabelsUnknown,
    [property: Id(5)] ClassificationQuality? Classification,
    [property: Id(6)] RegressionQuality? Regression,
    [property: Id(7)] AccuracyEstimate? Estimated,
    [property: Id(8)] ClassificationQuality? ReferenceClassification,
    [property: Id(9)] RegressionQuality? ReferenceRegression,
    [property: Id(10)] CalibrationCheck? Calibration,
    [property: Id(11)] QualityVerdict Verdict,
    [property: Id(12)] string Reason)
{
    /// <summary>The previous live version this one is compared with on labels (null when none has enough labels).</summary>
    [Id(13)] public string? BaselineVersion { get; init; }

    [Id(14)] public ClassificationQuality? BaselineClassification { get; init; }

    [Id(15)] public RegressionQuality? BaselineRegression { get; init; }
}

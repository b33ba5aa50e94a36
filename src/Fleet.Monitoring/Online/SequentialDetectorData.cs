namespace Fleet.Monitoring.Online;

/// <summary>
/// The persistable form of a calibrated <see cref="SequentialDetector"/>: restoring it skips the
/// simulation. <see cref="Scales"/> are reference standard deviations, 0 for unmonitored columns.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.SequentialDetectorData")]
public sealed record SequentialDetectorData(
    [property: Id(0)] string[] Names,
    [property: Id(1)] double[] Means,
    [property: Id(2)] double[] Scales,
    [property: Id(3)] double Slack,
    [property: Id(4)] double Threshold,
    [property: Id(5)] int ExpectedRunTime,
    [property: Id(6)] CalibrationInfo Calibration);

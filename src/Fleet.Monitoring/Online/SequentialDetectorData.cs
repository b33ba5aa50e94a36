namespace Fleet.Monitoring.Online;

/// <summary>
/// The persistable form of a calibrated <see cref="SequentialDetector"/>: restoring it skips the
/// simulation. <see cref="Scales"/> are reference standard deviations, 0 for unmonitored columns.
/// </summary>
public sealed record SequentialDetectorData(
    string[] Names,
    double[] Means,
    double[] Scales,
    double Slack,
    double Threshold,
    int ExpectedRunTime,
    CalibrationInfo Calibration);

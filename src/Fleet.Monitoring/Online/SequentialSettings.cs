namespace Fleet.Monitoring.Online;

/// <summary>
/// How <see cref="SequentialDetector.Calibrate"/> sets the threshold. <see cref="ExpectedRunTime"/> is the
/// mean number of samples between false alarms on a stream like the reference (Alibi Detect's ERT);
/// <see cref="Slack"/> is the CUSUM reference value k in reference standard deviations (0.5 is tuned for a
/// one-sigma shift); <see cref="Paths"/> simulated streams fix the threshold, reproducibly for a <see cref="Seed"/>.
/// </summary>
public sealed record SequentialSettings
{
    public int ExpectedRunTime { get; init; } = 2000;

    public double Slack { get; init; } = 0.5;

    public int Paths { get; init; } = 500;

    public int Seed { get; init; } = 17;
}

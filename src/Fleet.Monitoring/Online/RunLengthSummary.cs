namespace Fleet.Monitoring.Online;

/// <summary>
/// Simulated run lengths (samples to the first false alarm) or detection delays (samples after the
/// change up to and including the alarm; 1 means the first changed sample alarmed). Both count from 1; a
/// 0-based step counter, as in Alibi Detect's example notebooks, reads one less. <see cref="Censored"/> runs
/// reached the sample limit without an alarm and count at that limit. <see cref="BurnInAlarms"/> are false
/// alarms before the change, after each of which the stream continued with a new state.
/// </summary>
public sealed record RunLengthSummary(
    int Runs,
    double Mean,
    double StandardError,
    double Median,
    int Censored,
    long BurnInAlarms);

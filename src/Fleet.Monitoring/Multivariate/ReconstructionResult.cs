namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// The mean reconstruction error of <see cref="Count"/> rows against the reference's
/// (<see cref="ReferenceError"/>) and its alert band [<see cref="Lower"/>, <see cref="Upper"/>].
/// <see cref="Error"/> is NaN when there were no rows.
/// </summary>
public sealed record ReconstructionResult(
    MonitorVerdict Verdict,
    double Error,
    double ReferenceError,
    double Lower,
    double Upper,
    int Components,
    int Count);

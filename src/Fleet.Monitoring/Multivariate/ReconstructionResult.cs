namespace Fleet.Monitoring.Multivariate;

/// <summary>
/// The mean reconstruction error of <see cref="Count"/> rows against the reference's
/// (<see cref="ReferenceError"/>) and its alert band [<see cref="Lower"/>, <see cref="Upper"/>].
/// <see cref="Error"/> is NaN when there were no rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ReconstructionResult")]
public sealed record ReconstructionResult(
    [property: Id(0)] MonitorVerdict Verdict,
    [property: Id(1)] double Error,
    [property: Id(2)] double ReferenceError,
    [property: Id(3)] double Lower,
    [property: Id(4)] double Upper,
    [property: Id(5)] int Components,
    [property: Id(6)] int Count);

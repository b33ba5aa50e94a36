namespace Fleet.Monitoring.Quality;

/// <summary>
/// Label-free accuracy estimate over <see cref="Count"/> predictions: the mean calibrated confidence and
/// the standard error of the realised accuracy around it, √(Σ p(1 − p)) / n. <see cref="Verdict"/> is
/// <see cref="MonitorVerdict.InsufficientData"/> below the minimum count, otherwise <see cref="MonitorVerdict.Ok"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.AccuracyEstimate")]
public sealed record AccuracyEstimate(
    [property: Id(0)] int Count,
    [property: Id(1)] double Accuracy,
    [property: Id(2)] double StandardError,
    [property: Id(3)] MonitorVerdict Verdict);

namespace Fleet.Monitoring.Quality;

/// <summary>
/// Label-free accuracy estimate over <see cref="Count"/> predictions: the mean calibrated confidence and
/// the standard error of the realised accuracy around it, √(Σ p(1 − p)) / n. <see cref="Verdict"/> is
/// <see cref="MonitorVerdict.InsufficientData"/> below the minimum count, otherwise <see cref="MonitorVerdict.Ok"/>.
/// </summary>
public sealed record AccuracyEstimate(
    int Count,
    double Accuracy,
    double StandardError,
    MonitorVerdict Verdict);

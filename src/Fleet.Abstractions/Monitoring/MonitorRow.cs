namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// One served row as the detectors see it: its feature values (NaN = missing), the output score (the
/// probability of class 1 for a binary classifier, the predicted class for a multiclass one, the value for
/// a regressor), the predicted class (-1 for regressors) and the confidence (probability of the predicted
/// class; NaN when the model gives no probabilities).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.MonitorRow")]
public sealed record MonitorRow(
    [property: Id(0)] double[] Features,
    [property: Id(1)] double Output,
    [property: Id(2)] int Predicted,
    [property: Id(3)] double Confidence);

/// <summary>Rows of one version sampled on one silo since its last flush.</summary>
[GenerateSerializer, Immutable, Alias("fleet.VersionRows")]
public sealed record VersionRows(
    [property: Id(0)] string Version,
    [property: Id(1)] MonitorRow[] Rows,
    [property: Id(2)] string[] FeatureNames);

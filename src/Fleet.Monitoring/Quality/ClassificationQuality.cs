namespace Fleet.Monitoring.Quality;

/// <summary>
/// Labelled classification quality over <see cref="Count"/> samples. <see cref="LogLoss"/> is NaN when no
/// probabilities were given; every metric is NaN when <see cref="Count"/> is 0. <see cref="F1"/> is the
/// F1 of class 1 for two classes and the macro average otherwise (see <see cref="QualityMetrics"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ClassificationQuality")]
public sealed record ClassificationQuality(
    [property: Id(0)] int Count,
    [property: Id(1)] double Accuracy,
    [property: Id(2)] double LogLoss,
    [property: Id(3)] double F1);

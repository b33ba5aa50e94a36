namespace Fleet.Monitoring.Quality;

/// <summary>
/// Labelled classification quality over <see cref="Count"/> samples. <see cref="LogLoss"/> is NaN when no
/// probabilities were given; every metric is NaN when <see cref="Count"/> is 0. <see cref="F1"/> is the
/// F1 of class 1 for two classes and the macro average otherwise (see <see cref="QualityMetrics"/>).
/// </summary>
public sealed record ClassificationQuality(
    int Count,
    double Accuracy,
    double LogLoss,
    double F1);

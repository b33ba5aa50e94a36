namespace Fleet.Monitoring.Quality;

/// <summary>
/// A version's quality on the labelled reference rows it was uploaded with: accuracy (Wilson interval) and F1,
/// or MAE (normal interval) and RMSE, at the 99.9 % level of <see cref="QualityBounds.Z"/>; and, when a version
/// was live at upload, that version's quality on the same rows (<see cref="Live"/>) for the promotion gate.
/// <see cref="LiveNote"/> says why there is no comparison when there is none.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.VersionEvaluation")]
public sealed record VersionEvaluation(
    [property: Id(0)] int Rows,
    [property: Id(1)] ClassificationQuality? Classification,
    [property: Id(2)] RegressionQuality? Regression,
    [property: Id(3)] double Lower,
    [property: Id(4)] double Upper,
    [property: Id(5)] LiveComparison? Live,
    [property: Id(6)] string? LiveNote);

/// <summary>
/// The live version's quality on the candidate's reference rows, with what a paired test needs: for classifiers
/// the discordant rows (right for one version only), for regressors the variances and covariance of the two
/// versions' absolute errors. Paired on the same rows, a real difference shows with far fewer rows than two
/// independent samples would need.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.LiveComparison")]
public sealed record LiveComparison(
    [property: Id(0)] string Version,
    [property: Id(1)] ClassificationQuality? Classification,
    [property: Id(2)] RegressionQuality? Regression,
    [property: Id(3)] int CandidateOnlyCorrect,
    [property: Id(4)] int LiveOnlyCorrect,
    [property: Id(5)] double CandidateAbsErrorVariance,
    [property: Id(6)] double LiveAbsErrorVariance,
    [property: Id(7)] double AbsErrorCovariance);

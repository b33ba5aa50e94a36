namespace Fleet.Monitoring.Quality;

/// <summary>
/// A version's quality on the labelled reference rows it was uploaded with: accuracy (Wilson interval) and F1,
/// or MAE (normal interval) and RMSE, at the 99.9 % level of <see cref="QualityBounds.Z"/>; and, when a version
/// was live at upload, that version's quality on the same rows (<see cref="Live"/>) for the promotion gate.
/// <see cref="LiveNote"/> says why there is no comparison when there is none.
/// </summary>
public sealed record VersionEvaluation(
    int Rows,
    ClassificationQuality? Classification,
    RegressionQuality? Regression,
    double Lower,
    double Upper,
    LiveComparison? Live,
    string? LiveNote);

/// <summary>
/// The live version's quality on the candidate's reference rows, with what a paired test needs: for classifiers
/// the discordant rows (right for one version only), for regressors the variances and covariance of the two
/// versions' absolute errors. Paired on the same rows, a real difference shows with far fewer rows than two
/// independent samples would need.
/// </summary>
public sealed record LiveComparison(
    string Version,
    ClassificationQuality? Classification,
    RegressionQuality? Regression,
    int CandidateOnlyCorrect,
    int LiveOnlyCorrect,
    double CandidateAbsErrorVariance,
    double LiveAbsErrorVariance,
    double AbsErrorCovariance);

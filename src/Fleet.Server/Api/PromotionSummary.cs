using Fleet.Monitoring.Quality;

namespace Fleet.Server.Api;

/// <summary>
/// What the promotion gate says about a version (in the upload's 201 and <c>GET .../versions/{version}</c>):
/// <c>refused</c> with each reason, the evidence text, and the evaluation's numbers (null where a metric does not apply).
/// </summary>
internal sealed record PromotionSummary(bool Refused, string[] Reasons, string Evidence, EvaluationSummary? Evaluation)
{
    public static PromotionSummary Of(PromotionCheck check) =>
        new(check.Refused, check.Refusals, check.Evidence, check.Evaluation is { } e ? EvaluationSummary.Of(e) : null);
}

/// <summary>The version on its labelled reference rows; <c>interval</c> is the 99.9 % interval of accuracy (classifiers) or MAE (regressors).</summary>
internal sealed record EvaluationSummary(int Rows, double? Accuracy, double? F1, double? Mae, double? Rmse, double[] Interval, LiveSummary? Live, string? LiveNote)
{
    public static EvaluationSummary Of(VersionEvaluation e)
    {
        LiveSummary? live = e.Live is not { } l ? null : new LiveSummary(l.Version,
            Finite(l.Classification?.Accuracy), Finite(l.Classification?.F1), Finite(l.Regression?.Mae), Finite(l.Regression?.Rmse),
            l.Classification is null ? null : l.LiveOnlyCorrect, l.Classification is null ? null : l.CandidateOnlyCorrect);
        return new EvaluationSummary(e.Rows, Finite(e.Classification?.Accuracy), Finite(e.Classification?.F1), Finite(e.Regression?.Mae), Finite(e.Regression?.Rmse),
            [e.Lower, e.Upper], live, e.LiveNote);
    }

    private static double? Finite(double? x) => x is { } v && double.IsFinite(v) ? v : null;
}

/// <summary>The live version on the same rows; for classifiers the rows only it answered right (<c>right_only_live</c>) and only the candidate did.</summary>
internal sealed record LiveSummary(string Version, double? Accuracy, double? F1, double? Mae, double? Rmse, int? RightOnlyLive, int? RightOnlyCandidate);

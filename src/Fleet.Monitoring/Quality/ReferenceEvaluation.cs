namespace Fleet.Monitoring.Quality;

/// <summary>Evaluates a version on labelled reference rows and pairs it with the live version's answers on the same rows.</summary>
public static class ReferenceEvaluation
{
    /// <summary>A classifier: <paramref name="predicted"/> are class indices; <paramref name="live"/> the live version's, row for row.</summary>
    public static VersionEvaluation Classification(int[] labels, int[] predicted, int classCount, (string Version, int[] Predicted)? live, string? liveNote)
    {
        var quality = QualityMetrics.Classification(labels, predicted, null, classCount);
        var (lower, upper) = QualityBounds.Wilson(quality.Accuracy, quality.Count);
        LiveComparison? comparison = null;
        if (live is { } l)
        {
            CheckLength(labels.Length, l.Predicted.Length);
            int candidateOnly = 0, liveOnly = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                var c = predicted[i] == labels[i];
                var o = l.Predicted[i] == labels[i];
                candidateOnly += c && !o ? 1 : 0;
                liveOnly += o && !c ? 1 : 0;
            }

            comparison = new LiveComparison(l.Version, QualityMetrics.Classification(labels, l.Predicted, null, classCount), null, candidateOnly, liveOnly, 0, 0, 0);
        }

        return new VersionEvaluation(labels.Length, quality, null, lower, upper, comparison, comparison is null ? liveNote : null);
    }

    /// <summary>A regressor: <paramref name="predicted"/> are values; <paramref name="live"/> the live version's, row for row.</summary>
    public static VersionEvaluation Regression(double[] labels, double[] predicted, (string Version, double[] Predicted)? live, string? liveNote)
    {
        var quality = QualityMetrics.Regression(labels, predicted);
        var candidate = AbsoluteErrors(labels, predicted);
        var half = QualityBounds.Z * Math.Sqrt(Variance(candidate) / Math.Max(1, labels.Length));
        LiveComparison? comparison = null;
        if (live is { } l)
        {
            CheckLength(labels.Length, l.Predicted.Length);
            var other = AbsoluteErrors(labels, l.Predicted);
            comparison = new LiveComparison(l.Version, null, QualityMetrics.Regression(labels, l.Predicted), 0, 0,
                Variance(candidate), Variance(other), Covariance(candidate, other));
        }

        return new VersionEvaluation(labels.Length, null, quality, Math.Max(0, quality.Mae - half), quality.Mae + half, comparison, comparison is null ? liveNote : null);
    }

    /// <summary>
    /// Lower 99.9 % bound of <c>live accuracy − candidate accuracy</c> on the same rows. Paired, only the discordant
    /// rows (right for one version only) carry evidence: with <c>m</c> of them, <c>b</c> right only for live, the
    /// difference is <c>(2 b/m − 1) m/n</c>, bounded through the Wilson lower bound of <c>b/m</c> (McNemar's setting;
    /// sound for a handful of discordant rows, where a normal approximation is not). 0 without discordant rows.
    /// </summary>
    public static double AccuracyDropLower(LiveComparison live, int rows)
    {
        var discordant = live.LiveOnlyCorrect + live.CandidateOnlyCorrect;
        if (rows <= 0 || discordant == 0)
            return 0;
        var lower = QualityBounds.Wilson((double)live.LiveOnlyCorrect / discordant, discordant).Lower;
        return (2 * lower - 1) * discordant / rows;
    }

    /// <summary>Lower 99.9 % bound of <c>candidate MAE − live MAE</c> on the same rows (paired absolute errors).</summary>
    public static double MaeRiseLower(VersionEvaluation candidate, LiveComparison live)
    {
        if (candidate.Regression is not { } c || live.Regression is not { } l || candidate.Rows <= 0)
            return double.NegativeInfinity;
        var variance = Math.Max(0, live.CandidateAbsErrorVariance + live.LiveAbsErrorVariance - 2 * live.AbsErrorCovariance);
        return c.Mae - l.Mae - QualityBounds.Z * Math.Sqrt(variance / candidate.Rows);
    }

    private static double[] AbsoluteErrors(double[] labels, double[] predicted)
    {
        CheckLength(labels.Length, predicted.Length);
        return labels.Select((y, i) => Math.Abs(y - predicted[i])).ToArray();
    }

    private static double Variance(double[] x) => x.Length < 2 ? 0 : Covariance(x, x);

    private static double Covariance(double[] x, double[] y)
    {
        if (x.Length < 2)
            return 0;
        double mx = x.Average(), my = y.Average(), sum = 0;
        for (var i = 0; i < x.Length; i++)
            sum += (x[i] - mx) * (y[i] - my);
        return sum / (x.Length - 1);
    }

    private static void CheckLength(int labels, int predicted)
    {
        if (labels != predicted)
            throw new ArgumentException($"{labels} labels but {predicted} predictions");
    }
}

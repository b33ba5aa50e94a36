using System.Globalization;

namespace Fleet.Monitoring.Quality;

/// <summary>What the gate found: the evidence (always, for the audit), each reason it refuses with its numbers, and the evaluation it read.</summary>
public sealed record PromotionCheck(
    string Evidence,
    string[] Refusals,
    VersionEvaluation? Evaluation)
{
    public bool Refused => Refusals.Length > 0;
}

/// <summary>
/// Gates promotion on the evidence gathered at upload (<see cref="VersionEvaluation"/>): a version is refused when it
/// is clearly worse than the live version on the same labelled rows (worse by more than <c>quality_tolerance</c>, as
/// the live check asks, and the paired drop's 99.9 % lower bound above 0) or clearly below the model's floors
/// (accuracy's upper bound under <c>quality_floor</c>, MAE's lower bound over <c>quality_max_mae</c>), on at least
/// <c>quality_min_labels</c> rows. Without a labelled reference there is nothing to gate on, and the evidence says so.
/// </summary>
public static class PromotionGate
{
    public static PromotionCheck Check(string version, VersionEvaluation? evaluation, string? liveVersion, double? floor, double? maxMae,
        double tolerance = 0.05, int minRows = 50)
    {
        if (evaluation is null)
            return new PromotionCheck($"version '{version}' has no labelled reference evaluation (upload it with reference data and a label column to gate promotion on it)", [], null);

        var refusals = new List<string>();
        var parts = new List<string>();
        var rows = evaluation.Rows;
        if (rows < minRows)
        {
            // Too few rows to refuse anything on: said, and let through.
            parts.Add(F($"only {rows} labelled reference rows: the gate needs {minRows} (quality_min_labels)"));
            floor = null;
            maxMae = null;
        }

        if (evaluation.Classification is { } c)
        {
            parts.Add(F($"accuracy {c.Accuracy:0.###} on {rows} labelled reference rows ({evaluation.Lower:0.###}-{evaluation.Upper:0.###} at 99.9%), F1 {c.F1:0.###}"));
            if (floor is { } f && evaluation.Upper < f)
                refusals.Add(F($"accuracy {c.Accuracy:0.###} on {rows} labelled reference rows, at most {evaluation.Upper:0.###} at 99.9%: below the floor {f}"));
        }
        else if (evaluation.Regression is { } g)
        {
            parts.Add(F($"MAE {g.Mae:0.###} on {rows} labelled reference rows ({evaluation.Lower:0.###}-{evaluation.Upper:0.###} at 99.9%), RMSE {g.Rmse:0.###}"));
            if (maxMae is { } m && evaluation.Lower > m)
                refusals.Add(F($"MAE {g.Mae:0.###} on {rows} labelled reference rows, at least {evaluation.Lower:0.###} at 99.9%: above the ceiling {m}"));
        }

        var live = evaluation.Live;
        if (live is null)
        {
            parts.Add(evaluation.LiveNote ?? "no live version to compare with");
        }
        else if (live.Version != liveVersion)
        {
            parts.Add(liveVersion is null
                ? $"compared at upload with version '{live.Version}', which is no longer live"
                : $"compared at upload with version '{live.Version}'; version '{liveVersion}' is live now and was not compared");
        }
        else if (live.Classification is { } lc && evaluation.Classification is { } cc)
        {
            var bound = ReferenceEvaluation.AccuracyDropLower(live, rows);
            var drop = lc.Accuracy - cc.Accuracy;
            var text = F($"live version '{live.Version}' on the same rows: accuracy {lc.Accuracy:0.###}, drop {drop:0.###}, at least {bound:0.###} at 99.9% (paired: {live.LiveOnlyCorrect} rows right only for '{live.Version}', {live.CandidateOnlyCorrect} only for '{version}'; tolerance {tolerance})");
            parts.Add(text);
            if (rows >= minRows && bound > 0 && drop > tolerance)
                refusals.Add(F($"clearly worse than live version '{live.Version}' on the same {rows} labelled rows: accuracy {cc.Accuracy:0.###} against {lc.Accuracy:0.###}, a drop of {drop:0.###} (tolerance {tolerance}), at least {bound:0.###} at 99.9% (paired)"));
        }
        else if (live.Regression is { } lg && evaluation.Regression is { } cg)
        {
            var bound = ReferenceEvaluation.MaeRiseLower(evaluation, live);
            var rise = cg.Mae - lg.Mae;
            parts.Add(F($"live version '{live.Version}' on the same rows: MAE {lg.Mae:0.###}, rise {rise:0.###}, at least {bound:0.###} at 99.9% (paired; tolerance {tolerance} x {lg.Mae:0.###})"));
            if (rows >= minRows && bound > 0 && rise > lg.Mae * tolerance)
                refusals.Add(F($"clearly worse than live version '{live.Version}' on the same {rows} labelled rows: MAE {cg.Mae:0.###} against {lg.Mae:0.###}, a rise of {rise:0.###} (tolerance {tolerance} x {lg.Mae:0.###}), at least {bound:0.###} at 99.9% (paired)"));
        }

        return new PromotionCheck(string.Join("; ", parts), [.. refusals], evaluation);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Fleet.Monitoring.Quality;

/// <summary>What the gate found: the evidence (always, for the audit), each reason it refuses with its numbers, and the evaluation it read.</summary>
[GenerateSerializer, Immutable, Alias("fleet.PromotionCheck")]
public sealed record PromotionCheck(
    [property: Id(0)] string Evidence,
    [property: Id(1)] string[] Refusals,
    [property: Id(2)] VersionEvaluation? Evaluation)
{
    public bool Refused => Refusals.Length > 0;
}

/// <summary>
/// Gates promotion on the evidence gathered at upload (<see cref="VersionEvaluation"/>): a version is refused when it
/// is clearly worse than the live version on the same labelled rows (the paired drop's 99.9 % lower bound above 0)
/// or clearly below the model's floors (accuracy's upper bound under <c>quality_floor</c>, MAE's lower bound over
/// <c>quality_max_mae</c>). Without a labelled reference there is nothing to gate on, and the evidence says so.
/// </summary>
public static class PromotionGate
{
    public static PromotionCheck Check(string version, VersionEvaluation? evaluation, string? liveVersion, double? floor, double? maxMae)
    {
        if (evaluation is null)
            return new PromotionCheck($"version '{version}' has no labelled reference evaluation (upload it with reference data and a label column to gate promotion on it)", [], null);

        var refusals = new List<string>();
        var parts = new List<string>();
        var rows = evaluation.Rows;
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
            var text = F($"live version '{live.Version}' on the same rows: accuracy {lc.Accuracy:0.###}, drop {lc.Accuracy - cc.Accuracy:0.###}, at least {bound:0.###} at 99.9% (paired: {live.LiveOnlyCorrect} rows right only for '{live.Version}', {live.CandidateOnlyCorrect} only for '{version}')");
            parts.Add(text);
            if (bound > 0)
                refusals.Add(F($"clearly worse than live version '{live.Version}' on the same {rows} labelled rows: accuracy {cc.Accuracy:0.###} against {lc.Accuracy:0.###}, a drop of at least {bound:0.###} at 99.9% (paired)"));
        }
        else if (live.Regression is { } lg && evaluation.Regression is { } cg)
        {
            var bound = ReferenceEvaluation.MaeRiseLower(evaluation, live);
            parts.Add(F($"live version '{live.Version}' on the same rows: MAE {lg.Mae:0.###}, rise {cg.Mae - lg.Mae:0.###}, at least {bound:0.###} at 99.9% (paired)"));
            if (bound > 0)
                refusals.Add(F($"clearly worse than live version '{live.Version}' on the same {rows} labelled rows: MAE {cg.Mae:0.###} against {lg.Mae:0.###}, a rise of at least {bound:0.###} at 99.9% (paired)"));
        }

        return new PromotionCheck(string.Join("; ", parts), [.. refusals], evaluation);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

public sealed class PromotionGateTests
{
    [Fact]
    public void The_paired_drop_rests_on_the_discordant_rows()
    {
        // 100 rows, 10 right only for live, none only for the candidate: Wilson's lower bound of 10/10 is 0.5115 at
        // 99.9%, so the drop is at least (2 x 0.5115 - 1) x 10 / 100 (McNemar's setting: only discordant rows count).
        var worse = ReferenceEvaluation.Classification(Labels(100), Flip(Labels(100), 10), 2, ("1", Labels(100)), null);
        Assert.Equal((10, 0), (worse.Live!.LiveOnlyCorrect, worse.Live.CandidateOnlyCorrect));
        Assert.Equal(0.0023042, ReferenceEvaluation.AccuracyDropLower(worse.Live, 100), 6);

        // Two rows only the candidate gets right make it a wash at 99.9 %: 10 of 12 discordant rows is not beyond doubt.
        var live = Flip(Labels(100), 2, from: 50);
        var mixed = ReferenceEvaluation.Classification(Labels(100), Flip(Labels(100), 10), 2, ("1", live), null);
        Assert.Equal((10, 2), (mixed.Live!.LiveOnlyCorrect, mixed.Live.CandidateOnlyCorrect));
        Assert.Equal(-0.0247476, ReferenceEvaluation.AccuracyDropLower(mixed.Live, 100), 6);
        Assert.False(PromotionGate.Check("2", mixed, "1", null, null).Refused);
    }

    [Fact]
    public void A_clearly_worse_classifier_is_refused_with_its_numbers_and_the_evidence_says_everything()
    {
        var worse = ReferenceEvaluation.Classification(Labels(100), Flip(Labels(100), 10), 2, ("1", Labels(100)), null);

        var check = PromotionGate.Check("2", worse, "1", null, null);

        Assert.Equal(["clearly worse than live version '1' on the same 100 labelled rows: accuracy 0.9 against 1, a drop of 0.1 (tolerance 0.05), at least 0.002 at 99.9% (paired)"], check.Refusals);
        Assert.Equal("accuracy 0.9 on 100 labelled reference rows (0.77-0.96 at 99.9%), F1 0.9; live version '1' on the same rows: accuracy 1, " +
            "drop 0.1, at least 0.002 at 99.9% (paired: 10 rows right only for '1', 0 only for '2'; tolerance 0.05)", check.Evidence);

        // Beyond doubt but within the tolerance the live check allows: let through, the evidence says so.
        Assert.False(PromotionGate.Check("2", worse, "1", null, null, tolerance: 0.2).Refused);
        // Fewer rows than quality_min_labels: nothing is refused on them.
        var few = PromotionGate.Check("2", worse, "1", null, null, minRows: 200);
        Assert.False(few.Refused);
        Assert.StartsWith("only 100 labelled reference rows: the gate needs 200 (quality_min_labels); accuracy 0.9 on 100", few.Evidence);
    }

    [Fact]
    public void Paired_absolute_errors_confirm_a_regressor_one_unit_worse_on_every_row()
    {
        // Each row's error is one larger than live's: unpaired, errors of 1..2 on 4 rows prove nothing; paired, the rise is exactly 1.
        double[] labels = [0, 0, 0, 0];
        var evaluation = ReferenceEvaluation.Regression(labels, [2, 3, 2, 3], ("1", [1, 2, 1, 2]), null);

        Assert.Equal(1.0, ReferenceEvaluation.MaeRiseLower(evaluation, evaluation.Live!), 12);
        Assert.Equal(["clearly worse than live version '1' on the same 4 labelled rows: MAE 2.5 against 1.5, a rise of 1 (tolerance 0.05 x 1.5), at least 1 at 99.9% (paired)"],
            PromotionGate.Check("2", evaluation, "1", null, null, minRows: 4).Refusals);
    }

    [Fact]
    public void Floors_refuse_only_beyond_the_bound()
    {
        var evaluation = ReferenceEvaluation.Classification(Labels(100), Flip(Labels(100), 10), 2, null, "no live version to compare with");
        Assert.Equal(["accuracy 0.9 on 100 labelled reference rows, at most 0.96 at 99.9%: below the floor 0.97"],
            PromotionGate.Check("1", evaluation, null, 0.97, null).Refusals);
        Assert.False(PromotionGate.Check("1", evaluation, null, 0.95, null).Refused); // 0.9 observed, but up to 0.9603 is possible

        var regression = ReferenceEvaluation.Regression([0, 0, 0, 0], [2, 2, 2, 2], null, null);
        Assert.Equal((2.0, 2.0), (regression.Lower, regression.Upper)); // no spread: the interval is the point
        Assert.Equal(["MAE 2 on 4 labelled reference rows, at least 2 at 99.9%: above the ceiling 1.5"], PromotionGate.Check("1", regression, null, null, 1.5, minRows: 4).Refusals);
    }

    [Fact]
    public void Without_an_evaluation_or_with_another_live_version_nothing_is_refused_and_the_evidence_says_why()
    {
        var none = PromotionGate.Check("3", null, "1", 0.99, null);
        Assert.Equal((false, "version '3' has no labelled reference evaluation (upload it with reference data and a label column to gate promotion on it)"),
            (none.Refused, none.Evidence));

        var worse = ReferenceEvaluation.Classification(Labels(100), Flip(Labels(100), 10), 2, ("1", Labels(100)), null);
        var check = PromotionGate.Check("3", worse, "2", null, null);
        Assert.False(check.Refused);
        Assert.EndsWith("compared at upload with version '1'; version '2' is live now and was not compared", check.Evidence);
    }

    private static int[] Labels(int n) => Enumerable.Range(0, n).Select(i => i % 2).ToArray();

    private static int[] Flip(int[] labels, int count, int from = 0) =>
        labels.Select((l, i) => i >= from && i < from + count ? 1 - l : l).ToArray();
}

using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

public sealed class GoldenAgreementTests
{
    // The first 16 rows' labels of a binary sample: 10 of one class, 6 of the other.
    private static readonly int[] Labels = [1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0];

    [Fact]
    public void An_inverted_model_is_wrong_on_its_own_golden_set()
    {
        var (passed, detail) = GoldenAgreement.Judge(Labels, Labels.Select(l => 1 - l).ToArray());

        Assert.False(passed);
        Assert.Equal("the answers agree with the reference labels on 0 of 16 golden rows (at most 0.374 at 99.9%): the model is wrong on its own golden set", detail);
    }

    [Fact]
    public void A_good_model_that_misses_a_row_and_a_model_that_answers_the_common_class_pass()
    {
        var missOne = Labels.ToArray();
        missOne[0] = 0;
        Assert.True(GoldenAgreement.Judge(Labels, missOne).Passed);
        Assert.True(GoldenAgreement.Judge(Labels, Enumerable.Repeat(1, 16).ToArray()).Passed); // collapse: other checks catch it
        Assert.Equal((true, "no labelled golden rows"), GoldenAgreement.Judge([], []));

        // 16 rows of one class, one missed: not a wrong model (comparing with the 100% majority share would fail it).
        var oneClass = Enumerable.Repeat(1, 16).ToArray();
        Assert.True(GoldenAgreement.Judge(oneClass, [0, .. oneClass[1..]]).Passed);
        Assert.False(GoldenAgreement.Judge(oneClass, Enumerable.Repeat(0, 16).ToArray()).Passed);
    }
}

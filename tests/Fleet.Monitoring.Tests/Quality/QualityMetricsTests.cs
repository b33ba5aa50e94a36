using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

/// <summary>Against scikit-learn 1.2.1 (Data/expected.json); relative tolerance 1e-12 unless exact.</summary>
public sealed class QualityMetricsTests
{
    public static TheoryData<string> Cases => ["binary", "multiclass", "multiclass_unpredicted_class"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_matches_scikit_learn(string name)
    {
        var expected = ExpectedData.Get("classification").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var labels = expected.GetProperty("labels").Ints();

        var quality = QualityMetrics.Classification(
            labels,
            expected.GetProperty("predicted").Ints(),
            expected.GetProperty("probabilities").Rows(),
            expected.GetProperty("classes").GetInt32());

        Assert.Equal(labels.Length, quality.Count);
        Assert.Equal(expected.Number("accuracy"), quality.Accuracy, 1e-15);
        AssertClose(expected.Number("log_loss"), quality.LogLoss);
        AssertClose(expected.Number("f1"), quality.F1);
    }

    [Fact]
    public void Log_loss_is_NaN_without_probabilities()
    {
        var quality = QualityMetrics.Classification([0, 1, 1], [0, 1, 0], null, 2);

        Assert.True(double.IsNaN(quality.LogLoss));
        Assert.Equal(2.0 / 3, quality.Accuracy, 1e-15);
        Assert.Equal(2.0 / 3, quality.F1, 1e-15); // class 1: one hit, one miss, no false alarm
    }

    [Fact]
    public void A_certain_wrong_answer_costs_minus_log_1e_minus_15()
    {
        var quality = QualityMetrics.Classification([1], [0], [[1.0, 0.0]], 2);

        // Clipped to [1e-15, 1 - 1e-15] and renormalised: -log(1e-15 / (1 - 1e-15 + 1e-15)).
        Assert.Equal(-Math.Log(1e-15 / (1 - 1e-15 + 1e-15)), quality.LogLoss, 1e-12);
    }

    [Theory]
    [InlineData(new[] { 0, 3, 1 }, new[] { 0, 1, 1 }, "labels", "class 3")]
    [InlineData(new[] { 0, 1, 1 }, new[] { 0, -1, 1 }, "predicted", "class -1")]
    public void Classes_outside_the_range_are_rejected_by_value(int[] labels, int[] predicted, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => QualityMetrics.Classification(labels, predicted, null, 3));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Empty_input_gives_NaN_metrics()
    {
        var classification = QualityMetrics.Classification([], [], [], 2);
        var regression = QualityMetrics.Regression([], []);

        Assert.Equal(0, classification.Count);
        Assert.True(double.IsNaN(classification.Accuracy) && double.IsNaN(classification.F1) && double.IsNaN(classification.LogLoss));
        Assert.True(double.IsNaN(regression.Mae) && double.IsNaN(regression.Rmse));
    }

    [Fact]
    public void Regression_matches_scikit_learn()
    {
        var expected = ExpectedData.Get("regression");

        var quality = QualityMetrics.Regression(expected.GetProperty("actual").Doubles(), expected.GetProperty("predicted").Doubles());

        Assert.Equal(500, quality.Count);
        AssertClose(expected.Number("mae"), quality.Mae);
        AssertClose(expected.Number("rmse"), quality.Rmse);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => QualityMetrics.Regression([1.0, 2], [1.0]));
        Assert.Throws<ArgumentException>(() => QualityMetrics.Classification([0, 1], [0], null, 2));
        Assert.Throws<ArgumentException>(() => QualityMetrics.Classification([0, 1], [0, 1], [[0.5, 0.5]], 2));
        Assert.Throws<ArgumentException>(() => QualityMetrics.Classification([0], [0], [[0.2, 0.3, 0.5]], 2));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"expected {expected:R}, actual {actual:R}");
}

using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

public sealed class ConfidenceCalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Isotonic_fit_matches_scikit_learn()
    {
        var expected = ExpectedData.Get("isotonic");

        var calibration = ConfidenceCalibration.Fit(expected.GetProperty("confidence").Doubles(), expected.GetProperty("correct").Bools());

        Assert.Equal(expected.GetProperty("x_thresholds").Doubles(), calibration.X);
        AssertClose(expected.GetProperty("y_thresholds").Doubles(), calibration.Y);
        var grid = expected.GetProperty("grid").Doubles();
        AssertClose(expected.GetProperty("predictions").Doubles(), grid.Select(calibration.Apply).ToArray());
        Assert.Equal(1500, calibration.Check.Count);
    }

    [Fact]
    public void Apply_interpolates_between_points_and_clamps_outside()
    {
        var calibration = ConfidenceCalibration.Fit([0.2, 0.4, 0.4, 0.6, 0.8, 0.8], [false, false, true, true, true, false]);

        // As sklearn: ties averaged with their weight (0.4 -> 0.5 ×2, 0.8 -> 0.5 ×2), then 1 ×1 and 0.5 ×2 pool
        // to 2/3. Checked with /usr/bin/python3: X_thresholds_, y_thresholds_ and predict([0, 0.3, 0.5, 1]).
        Assert.Equal([0.2, 0.4, 0.6, 0.8], calibration.X);
        Assert.Equal([0.0, 0.5, 2.0 / 3, 2.0 / 3], calibration.Y);
        Assert.Equal(0.0, calibration.Apply(0.0));
        Assert.Equal(0.25, calibration.Apply(0.3), 15);
        Assert.Equal(7.0 / 12, calibration.Apply(0.5), 15);
        Assert.Equal(2.0 / 3, calibration.Apply(1.0), 15);
        Assert.True(double.IsNaN(calibration.Apply(double.NaN)));
    }

    [Fact]
    public void Miscalibrated_reference_fails_the_check_and_calibration_fixes_it()
    {
        // Over-confident: a confidence c is right only with probability 0.5 + 0.6·(c − 0.5).
        var (confidence, correct) = Classifier(20_000, c => 0.5 + (0.6 * (c - 0.5)), 701);

        var check = ConfidenceCalibration.Fit(confidence, correct).Check;

        output.WriteLine($"over-confident: {check}");
        Assert.False(check.Calibrated);
        Assert.True(check.EceBefore > 0.05, $"ECE before {check.EceBefore}");
        Assert.True(check.EceAfter < 0.02, $"ECE after {check.EceAfter}");
    }

    [Fact]
    public void Calibrated_reference_passes_the_check()
    {
        var (confidence, correct) = Classifier(20_000, c => c, 702);

        var check = ConfidenceCalibration.Fit(confidence, correct).Check;

        output.WriteLine($"calibrated: {check}");
        Assert.True(check.Calibrated);
        Assert.True(check.EceBefore < 0.02 && check.EceAfter < 0.02, check.ToString());
    }

    [Fact]
    public void Round_trips_through_its_points()
    {
        var (confidence, correct) = Classifier(2_000, c => c * c, 703);
        var calibration = ConfidenceCalibration.Fit(confidence, correct);

        var (x, y) = calibration.Points;
        var restored = ConfidenceCalibration.FromPoints(x, y, calibration.Check);

        foreach (var c in new[] { 0.0, 0.33, 0.5, 0.71, 0.9, 1.0 })
        {
            Assert.Equal(calibration.Apply(c), restored.Apply(c));
        }

        Assert.Equal(calibration.Check, restored.Check);
        Assert.Throws<ArgumentException>(() => ConfidenceCalibration.FromPoints([0.5, 0.4], [0.1, 0.2], calibration.Check));
        Assert.Throws<ArgumentException>(() => ConfidenceCalibration.FromPoints([0.4, 0.5], [0.3, 0.2], calibration.Check));
    }

    [Fact]
    public void Identity_points_without_a_check_pass_confidences_through()
    {
        var identity = ConfidenceCalibration.FromPoints([0.0, 1.0], [0.0, 1.0]);

        Assert.Equal(0.73, identity.Apply(0.73), 15);
        Assert.Equal(0, identity.Check.Count);
        Assert.False(identity.Check.Calibrated);
    }

    /// <summary>Top-class confidences uniform on [0.5, 1) (or <paramref name="low"/>, <paramref name="high"/>), right with probability <paramref name="accuracy"/>(c).</summary>
    internal static (double[] Confidence, bool[] Correct) Classifier(int count, Func<double, double> accuracy, int seed, double low = 0.5, double high = 1.0)
    {
        var random = new Random(seed);
        var confidence = new double[count];
        var correct = new bool[count];
        for (var i = 0; i < count; i++)
        {
            confidence[i] = low + ((high - low) * random.NextDouble());
            correct[i] = random.NextDouble() < accuracy(confidence[i]);
        }

        return (confidence, correct);
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"index {i}: expected {expected[i]:R}, actual {actual[i]:R}");
    }
}

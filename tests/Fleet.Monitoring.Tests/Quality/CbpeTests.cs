using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

/// <summary>
/// A simulated classifier whose accuracy is known by construction: each prediction is right with its
/// confidence's probability (calibrated) or with a known function of it (miscalibrated). The estimate must
/// fall within three of its standard errors of the accuracy actually realised.
/// </summary>
public sealed class CbpeTests(ITestOutputHelper output)
{
    private static readonly Lazy<ConfidenceCalibration> Calibrated = new(() =>
    {
        var (confidence, correct) = ConfidenceCalibrationTests.Classifier(20_000, c => c, 801);
        return ConfidenceCalibration.Fit(confidence, correct);
    });

    [Fact]
    public void Estimates_the_realised_accuracy_of_a_calibrated_classifier()
    {
        var (confidence, correct) = ConfidenceCalibrationTests.Classifier(3_000, c => c, 802);

        var estimate = Cbpe.EstimateAccuracy(Calibrated.Value, confidence);

        AssertFollows(estimate, correct, "same distribution");
    }

    [Fact]
    public void Follows_the_accuracy_when_the_confidence_distribution_shifts()
    {
        // Covariate shift: confidences drop to [0.5, 0.75); the true accuracy drops from ~0.75 to ~0.625.
        var (confidence, correct) = ConfidenceCalibrationTests.Classifier(3_000, c => c, 803, low: 0.5, high: 0.75);

        var estimate = Cbpe.EstimateAccuracy(Calibrated.Value, confidence);

        AssertFollows(estimate, correct, "shifted");
        Assert.InRange(estimate.Accuracy, 0.6, 0.65);
    }

    [Fact]
    public void Corrects_a_miscalibrated_model_through_the_calibration()
    {
        Func<double, double> truth = c => 0.5 + (0.6 * (c - 0.5)); // over-confident
        var (referenceConfidence, referenceCorrect) = ConfidenceCalibrationTests.Classifier(20_000, truth, 804);
        var calibration = ConfidenceCalibration.Fit(referenceConfidence, referenceCorrect);
        var (confidence, correct) = ConfidenceCalibrationTests.Classifier(3_000, truth, 805, low: 0.6, high: 1.0);

        var estimate = Cbpe.EstimateAccuracy(calibration, confidence);

        AssertFollows(estimate, correct, "over-confident, calibrated");
        Assert.True(confidence.Average() - estimate.Accuracy > 0.1, "the raw confidence would have overstated accuracy");
    }

    [Fact]
    public void Few_predictions_are_insufficient_data()
    {
        var estimate = Cbpe.EstimateAccuracy(Calibrated.Value, [0.9, 0.8, double.NaN], minSamples: 100);
        var none = Cbpe.EstimateAccuracy(Calibrated.Value, []);

        Assert.Equal(MonitorVerdict.InsufficientData, estimate.Verdict);
        Assert.Equal(2, estimate.Count);
        Assert.Equal(0.5 * (Calibrated.Value.Apply(0.9) + Calibrated.Value.Apply(0.8)), estimate.Accuracy, 15);
        Assert.Equal(MonitorVerdict.InsufficientData, none.Verdict);
        Assert.True(double.IsNaN(none.Accuracy));
    }

    private void AssertFollows(AccuracyEstimate estimate, bool[] correct, string label)
    {
        var realised = correct.Count(c => c) / (double)correct.Length;
        output.WriteLine($"{label}: estimated {estimate.Accuracy:F4} ± {estimate.StandardError:F4}, realised {realised:F4} ({(estimate.Accuracy - realised) / estimate.StandardError:F2} SE)");
        Assert.Equal(MonitorVerdict.Ok, estimate.Verdict);
        Assert.Equal(correct.Length, estimate.Count);
        Assert.True(Math.Abs(estimate.Accuracy - realised) < 3 * estimate.StandardError, $"estimate {estimate.Accuracy}, realised {realised}, SE {estimate.StandardError}");
    }
}

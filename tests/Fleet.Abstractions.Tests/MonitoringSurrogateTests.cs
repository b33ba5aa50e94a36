using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;

namespace Fleet.Abstractions.Tests;

/// <summary>Results and states that cross silos or reach grain storage survive Orleans' serializer.</summary>
public sealed class MonitoringSurrogateTests
{
    [Fact]
    public void Results_round_trip()
    {
        Assert.Equal(new ClassificationQuality(10, 0.9, double.NaN, 0.8), OrleansRoundTrip.Copy(new ClassificationQuality(10, 0.9, double.NaN, 0.8)));
        Assert.Equal(new RegressionQuality(3, 1.5, 2.5), OrleansRoundTrip.Copy(new RegressionQuality(3, 1.5, 2.5)));
        Assert.Equal(new CalibrationCheck(5, 0.1, 0.01, false), OrleansRoundTrip.Copy(new CalibrationCheck(5, 0.1, 0.01, false)));
        Assert.Equal(
            new AccuracyEstimate(200, 0.7, 0.03, MonitorVerdict.InsufficientData),
            OrleansRoundTrip.Copy(new AccuracyEstimate(200, 0.7, 0.03, MonitorVerdict.InsufficientData)));
        var reconstruction = new ReconstructionResult(MonitorVerdict.Alarm, 1.2, 0.4, 0.3, 0.5, 2, 1000);
        Assert.Equal(reconstruction, OrleansRoundTrip.Copy(reconstruction));
    }

    [Fact]
    public void Sequential_update_and_state_round_trip()
    {
        var update = new SequentialUpdate(true, 1234, 17, ["age", "score"], 9.5, 9.25);
        var copy = OrleansRoundTrip.Copy(update);
        Assert.Equal((update.Alarm, update.SamplesSeen, update.AlarmRow, update.MaxStatistic, update.Threshold), (copy.Alarm, copy.SamplesSeen, copy.AlarmRow, copy.MaxStatistic, copy.Threshold));
        Assert.Equal(update.AlarmColumns, copy.AlarmColumns);

        var reference = Enumerable.Range(0, 5).Select(c => Seeded.Normals(901 + c, 500, 10 * c, 1 + c)).ToArray();
        var detector = SequentialDetector.Calibrate(reference, ["f0", "f1", "f2", "f3", "f4"], new SequentialSettings { ExpectedRunTime = 100 });
        var state = detector.NewState();
        var random = new Random(902);
        detector.Update(state, Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 5).Select(c => Seeded.Normal(random, 10 * c + 2, 1 + c)).ToArray()).ToArray());
        Assert.Contains(state.Upper, u => u > 0);
        var stateCopy = OrleansRoundTrip.Copy(state);
        Assert.NotSame(state, OrleansRoundTrip.Copier.Copy(state)); // mutable: each grain gets its own
        Assert.Equal(state.Upper, stateCopy.Upper);
        Assert.Equal(state.Lower, stateCopy.Lower);
        Assert.Equal(state.SamplesSeen, stateCopy.SamplesSeen);
        Assert.Equal(state.Alarmed, stateCopy.Alarmed);

        var data = OrleansRoundTrip.Copy(detector.ToData());
        Assert.Equal(detector.Threshold, data.Threshold);
        Assert.Equal(detector.Calibration.MeanRunLength, data.Calibration.MeanRunLength);
        Assert.Equal(detector.ReferenceStds, data.Scales);
    }

    [Fact]
    public void Calibration_evaluation_and_promotion_check_round_trip()
    {
        var random = new Random(703);
        var confidence = Enumerable.Range(0, 2_000).Select(_ => 0.5 + (0.5 * random.NextDouble())).ToArray();
        var correct = confidence.Select(c => random.NextDouble() < c * c).ToArray();
        var calibration = ConfidenceCalibration.Fit(confidence, correct);
        var copy = OrleansRoundTrip.Copy(calibration);
        Assert.Equal(calibration.Check, copy.Check);
        Assert.Equal(calibration.X, copy.X);
        Assert.Equal(calibration.Y, copy.Y);
        Assert.Equal(calibration.Apply(0.71), copy.Apply(0.71));

        var live = new LiveComparison("1", new ClassificationQuality(426, 0.988, 0.05, 0.99), null, 3, 41, double.NaN, double.NaN, double.NaN);
        var evaluation = new VersionEvaluation(426, new ClassificationQuality(426, 0.901, 0.3, 0.92), null, 0.85, 0.94, live, null);
        var check = new PromotionCheck("0.901 against 0.988", ["drop 0.087, at least 0.051"], evaluation);
        var checkCopy = OrleansRoundTrip.Copy(check);
        Assert.Equal(check.Evidence, checkCopy.Evidence);
        Assert.Equal(check.Refusals, checkCopy.Refusals);
        Assert.Equal(evaluation, checkCopy.Evaluation);
        Assert.True(checkCopy.Refused);
    }
}

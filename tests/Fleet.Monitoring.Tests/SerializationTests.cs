using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests;

/// <summary>Results and states that cross silos or reach grain storage survive Orleans' serializer.</summary>
public sealed class SerializationTests
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

        var reference = Samples.ColumnsOf(Samples.CorrelatedGaussian, Samples.Columns, 500, 901);
        var detector = SequentialDetector.Calibrate(reference, Samples.Names(Samples.Columns), new SequentialSettings { ExpectedRunTime = 100 });
        var state = detector.NewState();
        detector.Update(state, Samples.RowsOf(Samples.CorrelatedGaussian, Samples.Columns, 20, 902));
        var stateCopy = OrleansRoundTrip.Copy(state);
        Assert.Equal(state.Upper, stateCopy.Upper);
        Assert.Equal(state.Lower, stateCopy.Lower);
        Assert.Equal(state.SamplesSeen, stateCopy.SamplesSeen);
        Assert.Equal(state.Alarmed, stateCopy.Alarmed);

        var data = OrleansRoundTrip.Copy(detector.ToData());
        Assert.Equal(detector.Threshold, data.Threshold);
        Assert.Equal(detector.Calibration.MeanRunLength, data.Calibration.MeanRunLength);
        Assert.Equal(detector.ReferenceStds, data.Scales);
    }
}

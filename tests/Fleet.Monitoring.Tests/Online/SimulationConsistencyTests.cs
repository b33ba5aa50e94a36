using Fleet.Monitoring.Online;

namespace Fleet.Monitoring.Tests.Online;

/// <summary>The calibration's vectorised simulation and the live <see cref="SequentialDetector.Update"/> agree exactly.</summary>
public sealed class SimulationConsistencyTests
{
    [Fact]
    public void Live_update_on_the_simulated_rows_alarms_where_the_records_say()
    {
        var reference = Samples.ColumnsOf(Samples.Skewed, Samples.Columns, 1_000, 401);
        var detector = SequentialDetector.Calibrate(reference, Samples.Names(Samples.Columns), new SequentialSettings { ExpectedRunTime = 300 });
        var increments = CusumIncrements.Build(reference, [.. detector.ReferenceMeans], [.. detector.ReferenceStds], detector.Slack);
        var length = 3_000;

        for (var path = 0; path < 40; path++)
        {
            var records = ThresholdCalibrator.Simulate(increments, length, new PathRandom(99, path), double.PositiveInfinity);
            // Replay the same row draws through the public path.
            var random = new PathRandom(99, path);
            var rows = Enumerable.Range(0, length)
                .Select(_ => random.NextIndex(1_000))
                .Select(r => reference.Select(column => column[r]).ToArray())
                .ToArray();

            var update = detector.Update(detector.NewState(), rows);

            var expected = records.RunLength(detector.Threshold);
            Assert.Equal(expected < 0 ? length : expected, update.SamplesSeen);
            Assert.Equal(expected >= 0, update.Alarm);
        }
    }

    [Fact]
    public void Calibration_is_reproducible_from_its_seed()
    {
        var reference = Samples.ColumnsOf(Samples.CorrelatedGaussian, Samples.Columns, 1_000, 402);
        var names = Samples.Names(Samples.Columns);
        var settings = new SequentialSettings { ExpectedRunTime = 300 };

        var first = SequentialDetector.Calibrate(reference, names, settings);
        var second = SequentialDetector.Calibrate(reference, names, settings);
        var otherSeed = SequentialDetector.Calibrate(reference, names, settings with { Seed = 18 });

        Assert.Equal(first.Threshold, second.Threshold);
        Assert.Equal(first.Calibration.MeanRunLength, second.Calibration.MeanRunLength);
        Assert.NotEqual(first.Threshold, otherSeed.Threshold);
        // The threshold is the lowest record value whose simulated mean run length reaches the ERT.
        Assert.InRange(first.Calibration.MeanRunLength, 300, 1.05 * 300);
        Assert.Equal(0, first.Calibration.Censored);
    }
}

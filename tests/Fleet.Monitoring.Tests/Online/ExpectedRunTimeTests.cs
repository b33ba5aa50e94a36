using Fleet.Monitoring.Online;

namespace Fleet.Monitoring.Tests.Online;

/// <summary>
/// The calibration's promise: on a stationary stream like the reference, the mean number of samples to a
/// false alarm is the configured ERT (within ±20%), with the default 500 simulated paths.
/// <para>
/// Error budget: the calibration's mean run length from 500 paths is within about ±4.5% (one standard
/// error; run lengths are roughly geometric, sd ≈ mean), the test's own mean over N runs about ±1/√N
/// (±3.2% at 1000 runs, ±4.1% at 600); ±20% is over three combined standard errors.
/// </para>
/// <para>
/// Streams are fresh draws from the true distribution, not from the reference: that is the property that
/// matters in production, and it includes the error of standardising by estimates from a finite reference
/// and of bootstrapping a finite sample. Those errors shrink with the reference, so these tests use large
/// references: 5 000 rows for Gaussian columns and 20 000 for the skewed ones, whose right tails a small
/// reference under-represents (with 1 000 rows the skewed stream's mean run length is about 25% short; the
/// README lists the measurements). <see cref="Bootstrapped_stream_matches_the_calibration"/> checks the
/// simulation alone, on a stream drawn from the reference itself.
/// </para>
/// </summary>
public sealed class ExpectedRunTimeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(200, 1000, 101)]
    [InlineData(1000, 600, 102)]
    public void Correlated_gaussian_stream_alarms_falsely_once_per_ERT(int ert, int runs, int seed)
    {
        var reference = Samples.ColumnsOf(Samples.CorrelatedGaussian, Samples.Columns, 5_000, seed);
        var detector = SequentialDetector.Calibrate(reference, Samples.Names(Samples.Columns), new SequentialSettings { ExpectedRunTime = ert });

        var runLengths = RunLengthSimulator.RunLengths(detector, Samples.CorrelatedGaussian, runs, seed + 1000);

        Report("correlated gaussian", detector, runLengths);
        Assert.Equal(0, runLengths.Censored);
        Assert.InRange(runLengths.Mean, 0.8 * ert, 1.2 * ert);
    }

    [Theory]
    [InlineData(200, 1000, 201)]
    [InlineData(1000, 600, 202)]
    public void Skewed_and_discrete_stream_alarms_falsely_once_per_ERT(int ert, int runs, int seed)
    {
        var reference = Samples.ColumnsOf(Samples.Skewed, Samples.Columns, 20_000, seed);
        var detector = SequentialDetector.Calibrate(reference, Samples.Names(Samples.Columns), new SequentialSettings { ExpectedRunTime = ert });

        var runLengths = RunLengthSimulator.RunLengths(detector, Samples.Skewed, runs, seed + 1000);

        Report("skewed", detector, runLengths);
        Assert.Equal(0, runLengths.Censored);
        Assert.InRange(runLengths.Mean, 0.8 * ert, 1.2 * ert);
    }

    [Fact]
    public void Bootstrapped_stream_matches_the_calibration()
    {
        // A production-sized reference (1 000 rows); the stream resamples it as the calibration does, so only
        // simulation error remains: 2 000 paths and 1 500 runs keep it near ±3.5% (one standard error).
        var reference = Samples.ColumnsOf(Samples.Skewed, Samples.Columns, 1_000, 301);
        var settings = new SequentialSettings { ExpectedRunTime = 500, Paths = 2_000 };
        var detector = SequentialDetector.Calibrate(reference, Samples.Names(Samples.Columns), settings);

        var runLengths = RunLengthSimulator.MeanRunLength(detector, reference, 1_500, 302);

        Report("bootstrapped skewed", detector, runLengths);
        Assert.InRange(runLengths.Mean, 0.8 * 500, 1.2 * 500);
    }

    private void Report(string stream, SequentialDetector detector, RunLengthSummary runLengths) =>
        output.WriteLine(
            $"{stream}: ERT {detector.ExpectedRunTime}, h = {detector.Threshold:F3}, simulated mean {detector.Calibration.MeanRunLength:F1} " +
            $"± {detector.Calibration.StandardError:F1}; measured mean {runLengths.Mean:F1} ± {runLengths.StandardError:F1} " +
            $"over {runLengths.Runs} runs ({runLengths.Mean / detector.ExpectedRunTime:P1} of ERT), median {runLengths.Median}");
}

using Fleet.Monitoring.Multivariate;

namespace Fleet.Monitoring.Tests.Multivariate;

public sealed class PcaReconstructionDetectorTests(ITestOutputHelper output)
{
    private static readonly ReconstructionSettings Defaults = new();

    /// <summary>
    /// Three features: x0 and x1 correlated ρ (different locations and scales), x2 independent. Flipping ρ
    /// keeps every marginal exactly (x1 is symmetric about its mean) and changes only the joint distribution.
    /// </summary>
    private static double[][] Pairs(int rows, double rho, int seed)
    {
        var random = new Random(seed);
        Span<double> z = stackalloc double[4];
        var data = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            Samples.NormalPairs(random, z);
            var x1 = (rho * z[0]) + (Math.Sqrt(1 - (rho * rho)) * z[1]);
            data[r] = [5 + (2 * z[0]), -3 + (0.5 * x1), 100 + (10 * z[2])];
        }

        return data;
    }

    [Fact]
    public void Matches_scikit_learn_reconstruction_and_NannyML_band()
    {
        var expected = ExpectedData.Get("reconstruction");
        var detector = PcaReconstructionDetector.Fit(expected.GetProperty("reference").Rows(), Defaults);

        var result = detector.Evaluate(expected.GetProperty("analysis").Rows());

        Assert.Equal(expected.GetProperty("components").GetInt32(), detector.Components);
        Assert.Equal(expected.Number("reference_error"), result.ReferenceError, 1e-10);
        Assert.Equal(expected.Number("lower"), result.Lower, 1e-10);
        Assert.Equal(expected.Number("upper"), result.Upper, 1e-10);
        Assert.Equal(expected.Number("analysis_error"), result.Error, 1e-10);
        Assert.Equal(150, result.Count);
        Assert.Equal(MonitorVerdict.Ok, result.Verdict);
    }

    [Fact]
    public void A_wider_band_for_one_evaluation_is_mean_plus_minus_that_many_spreads()
    {
        var expected = ExpectedData.Get("reconstruction");
        var detector = PcaReconstructionDetector.Fit(expected.GetProperty("reference").Rows(), Defaults);
        var analysis = expected.GetProperty("analysis").Rows();

        var fitted = detector.Evaluate(analysis);
        var wide = detector.Evaluate(analysis, 5);

        // The fitted band is mean ± 3 sd; at 5 sd each side moves out by 2 sd more, the error and verdict inputs unchanged.
        Assert.Equal(detector.ReferenceError + (3 * detector.Spread), fitted.Upper, 12);
        Assert.Equal(detector.ReferenceError + (5 * detector.Spread), wide.Upper, 12);
        Assert.Equal(Math.Max(0, detector.ReferenceError - (5 * detector.Spread)), wide.Lower, 12);
        Assert.Equal(fitted.Error, wide.Error);
        Assert.True(detector.Spread > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Evaluate(analysis, -1));

        // An error between the two bands alarms at 3 sd and not at 5.
        var between = detector.ReferenceError + (4 * detector.Spread);
        Assert.True(between > fitted.Upper && between < wide.Upper);
    }

    [Fact]
    public void Sees_a_correlation_flip_that_leaves_every_marginal_unchanged()
    {
        var reference = Pairs(5_000, 0.8, 601);
        var flipped = Pairs(2_000, -0.8, 602);
        var detector = PcaReconstructionDetector.Fit(reference, Defaults);

        var result = detector.Evaluate(flipped);

        output.WriteLine($"components {detector.Components}; error {result.Error:F3} vs reference {result.ReferenceError:F3} [{result.Lower:F3}, {result.Upper:F3}]");
        Assert.Equal(2, detector.Components); // eigenvalues 1.8, 1, 0.2 of 3: the first two explain 93%
        Assert.Equal(MonitorVerdict.Alarm, result.Verdict);
        Assert.True(result.Error > 2 * result.Upper, $"error {result.Error}, upper {result.Upper}");

        // What per-feature tests see: the same marginals. Means within 4 standard errors, standard deviations
        // within 5%, and each two-sample KS statistic below its 1% critical value.
        for (var c = 0; c < 3; c++)
        {
            var a = reference.Select(row => row[c]).ToArray();
            var b = flipped.Select(row => row[c]).ToArray();
            var sd = Statistics.Std(a);
            var ks = Statistics.KolmogorovSmirnov(a, b);
            output.WriteLine($"x{c}: mean {Statistics.Mean(a):F3} vs {Statistics.Mean(b):F3}, sd {sd:F3} vs {Statistics.Std(b):F3}, KS {ks:F4} (1% critical {Statistics.KolmogorovSmirnovCritical01(a.Length, b.Length):F4})");
            Assert.True(Math.Abs(Statistics.Mean(a) - Statistics.Mean(b)) < 4 * sd * Math.Sqrt((1.0 / a.Length) + (1.0 / b.Length)));
            Assert.InRange(Statistics.Std(b) / sd, 0.95, 1.05);
            Assert.True(ks < Statistics.KolmogorovSmirnovCritical01(a.Length, b.Length), $"x{c}: KS {ks}");
        }
    }

    [Fact]
    public void Same_distribution_is_ok()
    {
        var detector = PcaReconstructionDetector.Fit(Pairs(5_000, 0.8, 603), Defaults);

        var result = detector.Evaluate(Pairs(2_000, 0.8, 604));

        Assert.Equal(MonitorVerdict.Ok, result.Verdict);
        Assert.InRange(result.Error, result.Lower, result.Upper);
    }

    [Fact]
    public void Too_few_rows_are_insufficient_data_but_still_measured()
    {
        var detector = PcaReconstructionDetector.Fit(Pairs(1_000, 0.8, 605), Defaults);

        var few = detector.Evaluate(Pairs(99, -0.8, 606));
        var none = detector.Evaluate([]);

        Assert.Equal(MonitorVerdict.InsufficientData, few.Verdict);
        Assert.Equal(99, few.Count);
        Assert.True(few.Error > few.Upper);
        Assert.Equal(MonitorVerdict.InsufficientData, none.Verdict);
        Assert.True(double.IsNaN(none.Error));
    }

    [Fact]
    public void Missing_values_are_imputed_with_the_reference_mean()
    {
        var reference = Pairs(1_000, 0.8, 607);
        var detector = PcaReconstructionDetector.Fit(reference, Defaults);
        var means = Enumerable.Range(0, 3).Select(c => reference.Average(row => row[c])).ToArray();

        // A row at the reference mean reconstructs perfectly; NaN in a column is that column's mean.
        var atMean = detector.Evaluate([means]);
        var missing = detector.Evaluate([[double.NaN, means[1], double.NaN]]);

        Assert.Equal(0, atMean.Error, 12);
        Assert.Equal(0, missing.Error, 12);
    }

    [Theory]
    [InlineData(new[] { 5.0, 3, 2 }, 0.5, 2)] // cumulative 0.5 is not above 0.5: one more
    [InlineData(new[] { 5.0, 3, 2 }, 0.49, 1)]
    [InlineData(new[] { 5.0, 3, 2 }, 0.65, 2)]
    [InlineData(new[] { 5.0, 3, 2 }, 1.0, 3)]
    [InlineData(new[] { 1.0, 1, 1, 1 }, 0.65, 3)]
    public void Keeps_components_like_scikit_learn(double[] variances, double retained, int expected) =>
        Assert.Equal(expected, PrincipalSubspace.ComponentsFor(variances, retained));

    [Fact]
    public void Rejects_references_too_small_for_the_chunks()
    {
        Assert.Throws<ArgumentException>(() => PcaReconstructionDetector.Fit(Pairs(19, 0.8, 608), Defaults));
        Assert.Throws<ArgumentException>(() => PcaReconstructionDetector.Fit([[1.0, 2], [1.0]], Defaults with { Chunks = 2 }));
    }
}

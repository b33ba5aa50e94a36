using Fleet.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Monitoring.Tests.Quality;

public sealed class QualityBoundsTests
{
    [Fact]
    public void Wilson_matches_newcombes_published_interval()
    {
        // Newcombe (1998), Table I: 81 of 263, 95 % Wilson score interval 0.2553 to 0.3662.
        var (lower, upper) = QualityBounds.Wilson(81.0 / 263, 263, 1.959964);
        Assert.Equal(0.2553, lower, 4);
        Assert.Equal(0.3662, upper, 4);
    }

    [Fact]
    public void Wilson_stays_inside_zero_one_at_the_extremes_and_is_uninformative_without_data()
    {
        Assert.Equal((0.0, 1.0), QualityBounds.Wilson(0.5, 0));
        var (lower, upper) = QualityBounds.Wilson(0, 100);
        Assert.Equal(0.0, lower);
        Assert.Equal(0.0872, upper, 4);
        Assert.Equal(1.0, QualityBounds.Wilson(1, 100).Upper);
    }

    [Fact]
    public void Eighty_labels_with_five_errors_do_not_confirm_a_drop_beyond_a_005_tolerance()
    {
        // The case that rolled back a healthy breast-cancer version: 0.9375 on 80 labels against 0.993 on 426 rows.
        var bound = QualityBounds.AccuracyDropLower(0.993, 426, 0.9375, 80);
        Assert.Equal(0.0028, bound, 4);
        Assert.True(bound < 0.05);
    }

    [Fact]
    public void An_inverted_model_on_100_labels_is_a_confirmed_drop()
    {
        var bound = QualityBounds.AccuracyDropLower(0.993, 426, 0.0, 100);
        Assert.Equal(0.9017, bound, 4);
    }

    [Fact]
    public void The_estimate_bound_widens_with_its_standard_error()
    {
        var tight = QualityBounds.EstimatedDropLower(0.99, 400, new AccuracyEstimate(1000, 0.80, 0.01, MonitorVerdict.Ok));
        var loose = QualityBounds.EstimatedDropLower(0.99, 400, new AccuracyEstimate(50, 0.80, 0.05, MonitorVerdict.Ok));
        Assert.True(tight > 0.05, $"tight {tight}");
        Assert.True(loose < tight, $"loose {loose} tight {tight}");
        Assert.Equal(0.19 - Math.Sqrt(Math.Pow(0.99 - QualityBounds.Wilson(0.99, 400).Lower, 2) + Math.Pow(QualityBounds.Z * 0.05, 2)), loose, 12);
    }

    [Fact]
    public void A_mae_rise_needs_the_excess_beyond_its_spread()
    {
        var reference = new RegressionQuality(3000, 40, 50);
        // MAE 50 vs a 44 limit: 6 above, but with sd(|e|) = 30 on 60 labels the 99.9 % bound is below 0.
        Assert.True(QualityBounds.MaeRiseLower(new RegressionQuality(60, 50, Math.Sqrt(50 * 50 + 30 * 30)), reference, 0.1) < 0);
        // The same excess on 5,000 labels is confirmed.
        Assert.True(QualityBounds.MaeRiseLower(new RegressionQuality(5000, 50, Math.Sqrt(50 * 50 + 30 * 30)), reference, 0.1) > 0);
        Assert.Equal(double.NegativeInfinity, QualityBounds.MaeRiseLower(new RegressionQuality(0, double.NaN, double.NaN), reference, 0.1));
    }
}

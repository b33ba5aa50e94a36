using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Alerting;
using Fleet.Grains.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Tests.Monitoring;

/// <summary>The levels a model's detectors run at under the fleet false-alarm budget: tightened to its share, never loosened.</summary>
public sealed class DetectorLevelsTests
{
    [Fact]
    public void Without_a_budget_level_the_detectors_run_as_configured()
    {
        var settings = MonitorSettings.Default with { DriftAlpha = 0.01 };

        Assert.Equal(new DetectorLevels(0.01, 3, QualityBounds.Z, null), DetectorLevels.Of(settings, null));
        Assert.Equal(DetectorLevels.Configured(settings), DetectorLevels.Of(settings, double.NaN));
        Assert.Equal(DetectorLevels.Configured(settings), DetectorLevels.Of(settings, 0));
    }

    [Fact]
    public void A_budget_level_tightens_each_detector_to_it()
    {
        var levels = DetectorLevels.Of(MonitorSettings.Default, 1e-5);

        Assert.Equal(1e-5, levels.DriftAlpha);
        Assert.Equal(AlarmBudgets.Quantile(5e-6), levels.MultivariateSigmas, 12); // two-sided: 4.42 sd
        Assert.Equal(AlarmBudgets.Quantile(1e-5), levels.QualityZ, 12); // one-sided: 4.26
        Assert.Equal(1e-5, AlarmBudgets.TwoSided(levels.MultivariateSigmas), 15);
        Assert.Equal(1e-5, AlarmBudgets.OneSided(levels.QualityZ), 15);
        Assert.Equal("false-alarm budget: 1e-5 per look, so drift alpha 1e-5 (configured 0.05), multivariate band 4.42 sd (configured 3), quality bounds at z 4.26 (configured 3.09)",
            levels.Note);
    }

    [Fact]
    public void A_budget_level_looser_than_the_configured_one_loosens_nothing()
    {
        var strict = DetectorLevels.Of(MonitorSettings.Default with { DriftAlpha = 1e-9 }, 1e-5);
        var loose = DetectorLevels.Of(MonitorSettings.Default, 0.01);

        Assert.Equal(1e-9, strict.DriftAlpha);
        Assert.Equal((0.01, 3.0, QualityBounds.Z), (loose.DriftAlpha, loose.MultivariateSigmas, loose.QualityZ));
    }

    [Fact]
    public void The_quality_bound_follows_the_budget_z_and_says_its_confidence()
    {
        // 160 of 200 labels right (0.80) against a floor of 0.88: at z 3.09 the Wilson upper bound is 0.873, a drop;
        // at z 5 it is 0.904, not yet evidence enough.
        var realised = QualityMetrics.Classification([.. Enumerable.Repeat(1, 200)], [.. Enumerable.Repeat(1, 160), .. Enumerable.Repeat(0, 40)], null, 2);
        var settings = MonitorSettings.Default with { QualityFloor = 0.88 };

        var configured = QualityEvaluation.Verdict(realised, null, null, null, settings, true);
        var budgeted = QualityEvaluation.Verdict(realised, null, null, null, settings, true, null, 5);

        Assert.Equal(QualityEvaluation.QualityDrop, configured.Verdict);
        Assert.Equal("accuracy 0.8 on 200 labels, at most 0.873 at 99.9%: below the floor 0.88", configured.Reason);
        Assert.Equal(QualityEvaluation.InsufficientData, budgeted.Verdict);
        Assert.Equal(("99.9%", "99.999971%"), (DetectorLevels.Confidence(QualityBounds.Z), DetectorLevels.Confidence(5)));
    }
}

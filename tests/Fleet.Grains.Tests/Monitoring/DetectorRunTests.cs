using Fleet.Abstractions.Monitoring;
using Fleet.Drift;
using Fleet.Grains.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

public sealed class DetectorRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly MonitorSettings Settings = MonitorSettings.Default with { ReferenceRows = 200, DriftWindow = 200, DriftMinSamples = 50 };
    private static readonly RunLabels NoLabels = new([], 0, null);

    /// <summary>Two features, deterministic and not collinear: x cycles over 0..9 (shifted by <paramref name="shift"/>), y over 0..12.</summary>
    private static VersionRows Batch(string version, int count, double shift = 0, int predicted = 1) => new(version,
        [.. Enumerable.Range(0, count).Select(i => new MonitorRow([(i % 10) + shift, i * 7 % 13], predicted, predicted, 0.9))], ["x", "y"]);

    [Fact]
    public void Without_a_reference_the_run_says_how_far_collecting_one_is()
    {
        var intake = new RowIntake();
        intake.Add(Batch("1", 30), new Dictionary<string, ReferenceProfile>(), Settings, Now);
        DetectorRun.SequentialCursor? cursor = null;

        var run = DetectorRun.Run("1", Settings, Now, null, intake, null, new ConfirmationState(), ref cursor, NoLabels);

        Assert.Equal((DriftVerdict.InsufficientData, "none", 0), (run.Report.Overall, run.ReferenceSource, run.Report.CurrentCount));
        Assert.Equal("no reference yet: 30 of 200 live rows collected to make one (or upload one with the version)", run.Report.Reason);
        Assert.Equal(("1", Now, QualityEvaluation.InsufficientData), (run.Quality!.Version, run.CheckedAt, run.Quality.Verdict));
        Assert.Empty(run.Notes);
        Assert.Null(cursor);
    }

    [Fact]
    public void A_window_like_its_reference_shows_no_drift_and_a_shifted_feature_is_suspected()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile>();
        references["1"] = intake.Add(Batch("1", 200), references, Settings, Now)!;
        intake.Add(Batch("1", 200), references, Settings, Now);
        var detectors = VersionDetectors.Build(references["1"], Settings.DriftErt);
        DetectorRun.SequentialCursor? cursor = null;

        var same = DetectorRun.Run("1", Settings, Now, detectors, intake, null, new ConfirmationState(), ref cursor, NoLabels);

        Assert.Equal(("live", 200, 200), (same.ReferenceSource, same.Report.ReferenceCount, same.Report.CurrentCount));
        Assert.True(same.Report.Overall == DriftVerdict.NoDrift, same.Report.Reason + " | " + string.Join("; ", same.Report.Reasons) + " | " + string.Join("; ", same.Report.Features.Select(f => $"{f.Name} {f.Verdict}")));
        Assert.Equal(detectors.Sequential is not null, cursor is not null);
        Assert.Equal(cursor is null ? null : 200L, cursor?.Seen); // the window's rows; the first 200 became the reference

        intake.Add(Batch("1", 200, shift: 5), references, Settings, Now.AddMinutes(1));
        var shifted = DetectorRun.Run("1", Settings, Now.AddMinutes(1), detectors, intake, null, new ConfirmationState(), ref cursor, NoLabels);

        // x moved (y did not): suspected on this first check, confirmed only over the next ones.
        Assert.Equal([("x", DriftVerdict.Suspected, "1 of 3 checks"), ("y", DriftVerdict.NoDrift, null)],
            shifted.Report.Features.Take(2).Select(f => (f.Name, f.Verdict, f.Confirmation)).ToArray());
    }

    [Fact]
    public void Under_the_false_alarm_budget_the_run_uses_the_tighter_levels_and_says_so()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile>();
        references["1"] = intake.Add(Batch("1", 200), references, Settings, Now)!;
        intake.Add(Batch("1", 200, shift: 2), references, Settings, Now);
        var detectors = VersionDetectors.Build(references["1"], Settings.DriftErt);
        DetectorRun.SequentialCursor? cursor = null;

        var configured = DetectorRun.Run("1", Settings, Now, detectors, intake, null, new ConfirmationState(), ref cursor, NoLabels);
        var levels = DetectorLevels.Of(Settings, 1e-12);
        var budgeted = DetectorRun.Run("1", Settings, Now, detectors, intake, null, new ConfirmationState(), ref cursor, NoLabels, levels);

        // x moved by 2 on its 0..9 cycle: at alpha 0.05 its test fires, at 1e-12 it does not; the note gives the levels.
        var x = (configured.Report.Features[0], budgeted.Report.Features[0]);
        Assert.Equal(("x", "x"), (x.Item1.Name, x.Item2.Name));
        Assert.True(x.Item1.AdjustedPValue < 0.05 && x.Item1.AdjustedPValue > 1e-12, $"p {x.Item1.AdjustedPValue}");
        Assert.Equal((DriftVerdict.Suspected, DriftVerdict.NoDrift), (x.Item1.Verdict, x.Item2.Verdict));
        Assert.DoesNotContain(configured.Notes, n => n.StartsWith("false-alarm budget", StringComparison.Ordinal));
        Assert.Contains(budgeted.Notes, n => n == levels.Note);
        Assert.Equal(levels.MultivariateSigmas, (budgeted.Multivariate!.Upper - budgeted.Multivariate.ReferenceError) / detectors.Multivariate!.Spread, 9);
    }

    [Fact]
    public void Columns_follow_the_reference_features_by_name_and_a_missing_one_is_nan()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile>();
        var profile = intake.Add(Batch("1", 200), references, Settings, Now)!;
        var detectors = VersionDetectors.Build(profile, Settings.DriftErt);

        var columns = DetectorRun.Columns(detectors, ["y", "z"], [new MonitorRow([4, 9], 0.25, 0, 0.8)]);

        Assert.Equal(double.NaN, columns[0][0]);
        Assert.Equal(4.0, columns[1][0]);
        Assert.Equal(detectors.HasOutput ? 3 : 2, columns.Count);
    }
}

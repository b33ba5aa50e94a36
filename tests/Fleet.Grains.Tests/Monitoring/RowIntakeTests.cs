using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

public sealed class RowIntakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly MonitorSettings Settings = MonitorSettings.Default with { ReferenceRows = 4, DriftWindow = 3 };
    private static readonly string[] Features = ["x", "y"];

    internal static MonitorRow Row(double x, int predicted = 1) => new([x, 10 * x], predicted, predicted, 0.9);

    private static VersionRows Batch(string version, params double[] xs) => new(version, [.. xs.Select(x => Row(x))], Features);

    [Fact]
    public void Without_a_reference_the_first_rows_become_it_and_the_rest_go_to_the_window()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile>();

        Assert.Null(intake.Add(Batch("1", 1, 2, 3), references, Settings, Now));
        Assert.Equal((3, 3L, (LiveWindow?)null), (intake.Pending("1"), intake.Received("1"), intake.Window("1")));
        Assert.Equal([2.0, 3.0], intake.Recent("1", 2).Select(r => r.Features[0]).ToArray()); // collected rows stand in for the window

        var made = intake.Add(Batch("1", 4, 5, 6), references, Settings, Now.AddSeconds(1))!;

        Assert.Equal(("1", "live", 4, Now.AddSeconds(1)), (made.Version, made.Source, made.RowCount, made.CreatedAt));
        Assert.Equal(Features, made.FeatureNames);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], made.Columns[0]);
        Assert.Equal(2, made.ClassCount); // a classifier: classes 0..1 seen as predicted
        Assert.Equal((0, 6L, (DateTimeOffset?)Now.AddSeconds(1)), (intake.Pending("1"), intake.Received("1"), intake.LastRowsAt("1")));
        Assert.Equal([5.0, 6.0], intake.Window("1")!.Last(10).Select(r => r.Features[0]).ToArray());
    }

    [Fact]
    public void With_a_reference_every_row_goes_to_the_window_which_keeps_the_drift_window()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile> { ["1"] = null! };

        Assert.Null(intake.Add(Batch("1", 1, 2, 3, 4), references, Settings, Now));

        var window = intake.Window("1")!;
        Assert.Equal((3, 4L, 3), (window.Count, window.Total, window.Capacity));
        intake.Resize(Settings with { DriftWindow = 2 });
        Assert.Equal([3.0, 4.0], intake.Window("1")!.Last(10).Select(r => r.Features[0]).ToArray());
        Assert.Equal(4L, intake.Window("1")!.Total);
    }

    [Fact]
    public void A_version_is_judged_again_only_after_new_rows_and_the_live_one_always()
    {
        var intake = new RowIntake();
        var references = new Dictionary<string, ReferenceProfile> { ["1"] = null!, ["2"] = null! };
        intake.Add(Batch("2", 1), references, Settings, Now);

        Assert.Equal(["2", "1"], intake.ToJudge("1"));
        intake.Judged("2");
        intake.Judged("1");
        Assert.Equal(["1"], intake.ToJudge("1"));
        Assert.Empty(intake.ToJudge(null));
        intake.Add(Batch("2", 2), references, Settings, Now);
        Assert.Equal(["2"], intake.ToJudge(null));
    }

    [Fact]
    public void An_uploaded_reference_drops_the_collected_rows()
    {
        var intake = new RowIntake();
        intake.Add(Batch("1", 1, 2), new Dictionary<string, ReferenceProfile>(), Settings, Now);

        intake.DropPending("1");

        Assert.Equal((0, 2L), (intake.Pending("1"), intake.Received("1")));
        Assert.Empty(intake.Recent("1", 5));
    }
}

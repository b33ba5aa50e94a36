using Fleet.Abstractions.Coordination;
using Fleet.Grains.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

/// <summary>The monitor's own pulse: detectors overdue while rows arrive are an alarm, once; the next run recovers it.</summary>
public sealed class DetectorHeartbeatTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public void Rows_after_three_missed_intervals_raise_it_once_and_a_completed_run_recovers_it()
    {
        var beat = new DetectorHeartbeat(T0);
        Assert.Null(beat.RowsArrived("churn", Interval, T0.AddSeconds(90))); // exactly three intervals: not yet
        var overdue = beat.RowsArrived("churn", Interval, T0.AddSeconds(91))!;
        Assert.Equal((SignalKind.MonitorUnhealthy, "churn", DetectorHeartbeat.Component, 91.0), (overdue.Kind, overdue.Model, overdue.Subject, overdue.Evidence["overdue_seconds"]));
        Assert.Equal("the drift detectors of churn have not completed a run for 91 s while rows arrive (3 × the 30 s drift interval)", overdue.Reason);
        Assert.Null(beat.RowsArrived("churn", Interval, T0.AddSeconds(200))); // once per episode

        Assert.Equal(SignalKind.MonitorRecovered, beat.Ran("churn", T0.AddSeconds(201))!.Kind);
        Assert.Null(beat.Ran("churn", T0.AddSeconds(231)));
        Assert.Null(beat.RowsArrived("churn", Interval, T0.AddSeconds(240)));

        // A signal the coordinator did not take is raised again.
        beat.Undo(beat.RowsArrived("churn", Interval, T0.AddSeconds(400))!);
        Assert.Equal(SignalKind.MonitorUnhealthy, beat.RowsArrived("churn", Interval, T0.AddSeconds(401))!.Kind);
        beat.Undo(beat.Ran("churn", T0.AddSeconds(402))!);
        Assert.Equal(SignalKind.MonitorRecovered, beat.Ran("churn", T0.AddSeconds(403))!.Kind);
    }
}

using Fleet.Abstractions.Coordination;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The monitor's own pulse (pure): rows keep arriving for a model, so its detectors must run every drift interval. When
/// none has completed for <see cref="MissedIntervals"/> intervals (a timer that stopped, a run that throws every time),
/// the next rows raise <c>monitor_unhealthy</c> (component <see cref="Component"/>), and the next completed run
/// <c>monitor_recovered</c>. A model that receives nothing is not judged: no data is not a missed run.
/// </summary>
internal sealed class DetectorHeartbeat(DateTimeOffset started)
{
    public const string Component = "drift-detector";
    public const int MissedIntervals = 3;

    private DateTimeOffset _lastRun = started;
    private bool _raised;

    /// <summary>Rows arrived at <paramref name="now"/>: the alarm when the detectors are overdue (once per episode).</summary>
    public FleetSignal? RowsArrived(string model, TimeSpan interval, DateTimeOffset now)
    {
        var overdue = now - _lastRun;
        if (_raised || overdue <= MissedIntervals * interval)
        {
            return null;
        }

        _raised = true;
        return new FleetSignal(SignalKind.MonitorUnhealthy, model, null, now,
            $"the drift detectors of {model} have not completed a run for {overdue.TotalSeconds:0} s while rows arrive ({MissedIntervals} × the {interval.TotalSeconds:0} s drift interval)",
            new Dictionary<string, double> { ["overdue_seconds"] = Math.Round(overdue.TotalSeconds), ["interval_seconds"] = interval.TotalSeconds },
            Subject: Component);
    }

    /// <summary>A run completed: the recovery when an alarm was raised.</summary>
    public FleetSignal? Ran(string model, DateTimeOffset now)
    {
        _lastRun = now;
        if (!_raised)
        {
            return null;
        }

        _raised = false;
        return new FleetSignal(SignalKind.MonitorRecovered, model, null, now, $"the drift detectors of {model} run again",
            new Dictionary<string, double> { ["overdue_seconds"] = 0 }, Subject: Component);
    }

    /// <summary>The coordinator did not take <paramref name="signal"/>: back to before it, so it is raised again on the next rows or run.</summary>
    public void Undo(FleetSignal signal) => _raised = signal.Kind != SignalKind.MonitorUnhealthy;
}

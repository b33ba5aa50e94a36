using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Drift;
using Fleet.Grains.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

public sealed class VerdictSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static DriftRun Run(DriftVerdict verdict) =>
        new("2", Now, "live", new DriftReport(verdict, $"{verdict.ToWire()} on 2 features", 0.5, 1000, 400, []), null, null, null, []);

    [Fact]
    public void Drift_is_signalled_when_it_starts_and_when_it_clears_not_on_every_run()
    {
        var state = new VersionMonitorState();

        var (signals, fresh) = VerdictSignals.Of(state, "m", Run(DriftVerdict.Drift), Now);

        var drift = Assert.Single(signals);
        Assert.Equal((SignalKind.Drift, "m", "2", "drift on 2 features"), (drift.Kind, drift.Model, drift.Version!, drift.Reason));
        Assert.Equal((0.5, 400.0), (drift.Evidence["drifted_share"], drift.Evidence["current_rows"]));
        Assert.Equal(["drift"], fresh);
        Assert.Equal("drift", state.LastDrift);

        Assert.Empty(VerdictSignals.Of(state, "m", Run(DriftVerdict.Drift), Now).Signals);
        Assert.Empty(VerdictSignals.Of(state, "m", Run(DriftVerdict.InsufficientData), Now).Signals);
        Assert.Equal("drift", state.LastDrift); // too little data says nothing about the drift

        var (cleared, none) = VerdictSignals.Of(state, "m", Run(DriftVerdict.NoDrift), Now);
        Assert.Equal(SignalKind.DriftCleared, Assert.Single(cleared).Kind);
        Assert.Empty(none);
        Assert.Equal("no-drift", state.LastDrift);
    }

    [Fact]
    public void A_warning_after_no_drift_changes_the_verdict_without_a_signal()
    {
        var state = new VersionMonitorState { LastDrift = "no-drift" };

        var (signals, fresh) = VerdictSignals.Of(state, "m", Run(DriftVerdict.Warning), Now);

        Assert.Equal((0, 0, "warning"), (signals.Count, fresh.Count, state.LastDrift));
    }
}

using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Server.Monitoring;
using Fleet.Server.Telemetry;

namespace Fleet.Tests.Unit;

/// <summary>The monitoring path's losses become signals: once per episode, recovered after a quiet minute.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class DropWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drops_raise_monitor_unhealthy_once_per_model_and_component_and_a_quiet_minute_recovers_it()
    {
        var watch = new DropWatch(new FleetMetrics());
        watch.Dropped("wine", DropWatch.Tap, 3, T0);
        watch.Dropped("wine", DropWatch.Tap, 2, T0.AddSeconds(1));
        watch.Dropped("iris", DropWatch.Store, 7, T0.AddSeconds(1));

        // Not delivered to the coordinator: still due, with what dropped since.
        Assert.Equal(2, watch.Due(T0.AddSeconds(1), "silo-a").Count);
        var raised = watch.Due(T0.AddSeconds(1), "silo-a");
        raised.ForEach(watch.Delivered);
        Assert.Equal([("wine", DropWatch.Tap, 5.0), ("iris", DropWatch.Store, 7.0)], raised.Select(s => (s.Model, s.Subject!, s.Evidence["dropped"])).ToArray());
        Assert.All(raised, s => Assert.Equal((SignalKind.MonitorUnhealthy, "silo-a", (Severity?)Severity.Warning), (s.Kind, s.Host, s.Severity)));
        Assert.Equal("prediction-tap on silo-a dropped 5 of wine's predictions or rows (drift and quality see less than was served)", raised[0].Reason);

        watch.Dropped("wine", DropWatch.Tap, 1, T0.AddSeconds(30));
        var at61 = watch.Due(T0.AddSeconds(61), "silo-a");
        Assert.DoesNotContain(at61, s => s.Model == "wine"); // dropped 31 s ago: the episode goes on
        at61.ForEach(watch.Delivered);
        var recovered = watch.Due(T0.AddSeconds(90), "silo-a");
        recovered.ForEach(watch.Delivered);
        Assert.Equal([("wine", SignalKind.MonitorRecovered, 6.0)], recovered.Select(s => (s.Model, s.Kind, s.Evidence["dropped"])).ToArray());
        Assert.Empty(watch.Due(T0.AddHours(1), "silo-a"));
    }
}

/// <summary>The self-test's results as signals: a failure raises, a pass after it recovers, nothing else.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class SelfTestSignalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, true, null)]
    [InlineData(true, true, null)]
    [InlineData(null, false, SignalKind.MonitorUnhealthy)]
    [InlineData(true, false, SignalKind.MonitorUnhealthy)]
    [InlineData(false, false, null)]
    [InlineData(false, true, SignalKind.MonitorRecovered)]
    public void Only_changes_are_signalled(bool? before, bool passed, SignalKind? expected)
    {
        var signal = SelfTestService.Transition(before, passed, "ks p=0.4", "silo-a", T0);
        Assert.Equal(expected, signal?.Kind);
        if (signal is not null)
        {
            Assert.Equal((FleetSignal.FleetModel, SelfTestService.Component, "silo-a"), (signal.Model, signal.Subject, signal.Host));
        }
    }
}

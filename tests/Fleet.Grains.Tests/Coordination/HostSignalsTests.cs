using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Hosts;
using Fleet.Grains.Coordination;
using Orleans.Runtime;

namespace Fleet.Grains.Tests.Coordination;

/// <summary>host_unhealthy: a dead, gone or frozen host is signalled once, and recovers once.</summary>
public sealed class HostSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_dead_host_is_signalled_once_and_recovers_when_it_reports_again()
    {
        var unhealthy = new Dictionary<string, DateTimeOffset>();
        var reports = new[] { FleetViewTests.Report("a", Now, []), FleetViewTests.Report("b", Now, []) };
        var members = new Dictionary<string, SiloStatus> { ["a"] = SiloStatus.Active, ["b"] = SiloStatus.Dead };

        var down = Assert.Single(HostSignals.Transitions(unhealthy, ["a", "b"], reports, members, Now));
        Assert.Equal((SignalKind.HostUnhealthy, FleetSignal.FleetModel, "b", Fleet.Abstractions.Alerting.Severity.Critical),
            (down.Kind, down.Model, down.Host, down.EffectiveSeverity));
        Assert.Equal("host b: gone: membership declared silo 'b' dead (last report 0 s ago)", down.Reason);
        Assert.Empty(HostSignals.Transitions(unhealthy, ["a", "b"], reports, members, Now.AddSeconds(5)));

        members["b"] = SiloStatus.Active;
        var back = Assert.Single(HostSignals.Transitions(unhealthy, ["a", "b"],
            [FleetViewTests.Report("a", Now.AddSeconds(30), []), FleetViewTests.Report("b", Now.AddSeconds(30), [])], members, Now.AddSeconds(30)));
        Assert.Equal((SignalKind.HostRecovered, "b", "host b reports again (unhealthy for 30 s)"), (back.Kind, back.Host, back.Reason));
        Assert.Empty(unhealthy);
    }

    [Fact]
    public void A_host_whose_reports_stop_is_unhealthy_and_recovers_when_it_leaves_the_host_list()
    {
        var unhealthy = new Dictionary<string, DateTimeOffset>();
        var reports = new[] { FleetViewTests.Report("a", Now, []) };
        var members = new Dictionary<string, SiloStatus> { ["a"] = SiloStatus.Active };

        // Stale after 3 intervals of 5 s plus a 5 s timeout.
        Assert.Empty(HostSignals.Transitions(unhealthy, ["a"], reports, members, Now.AddSeconds(20)));
        var frozen = Assert.Single(HostSignals.Transitions(unhealthy, ["a"], reports, members, Now.AddSeconds(21)));
        Assert.StartsWith("host a: stale: no probe report for 21 s", frozen.Reason);

        var forgotten = Assert.Single(HostSignals.Transitions(unhealthy, [], [], members, Now.AddHours(1)));
        Assert.Equal((SignalKind.HostRecovered, "a"), (forgotten.Kind, forgotten.Host));
        Assert.StartsWith("host a left the host list", forgotten.Reason);
    }

    [Fact]
    public void After_a_coordinator_move_only_membership_decides_until_the_host_reports()
    {
        var unhealthy = new Dictionary<string, DateTimeOffset>();
        var members = new Dictionary<string, SiloStatus> { ["a"] = SiloStatus.Active };

        // Known from the persisted host list, no report yet: an active member waits for its report; a missing one is gone.
        var gone = Assert.Single(HostSignals.Transitions(unhealthy, ["a", "b"], [], members, Now));
        Assert.Equal((SignalKind.HostUnhealthy, "b"), (gone.Kind, gone.Host));
        Assert.Equal(["b"], unhealthy.Keys.ToArray());
    }
}

using Fleet.Abstractions.Coordination;
using Fleet.Grains.Coordination;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Fleet.Grains.Tests.Coordination;

/// <summary>The coordinator's fault-injection seam; the kill itself runs only in the cluster drills (it ends the process).</summary>
public sealed class CoordinatorFaultsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static Decision Decision(DecisionStatus status) => new("d000001", Now, "m", DecisionAction.Rollback, "2", "1", null, "r",
        new DecisionEvidence(DecisionPolicy.GoldenAllHosts, [], [], [], Now), status, null, null, null);

    [Fact]
    public void Without_fault_injection_nothing_can_be_armed_and_nothing_happens()
    {
        Assert.False(NoCoordinatorFaults.Instance.TryArm());
        NoCoordinatorFaults.Instance.Persisted(Decision(DecisionStatus.Pending));
        Assert.False(Drill(enabled: false).TryArm());
    }

    [Fact]
    public void The_drill_arms_when_enabled_and_leaves_finished_decisions_alone()
    {
        var drill = Drill(enabled: true);
        Assert.True(drill.TryArm());
        drill.Persisted(Decision(DecisionStatus.Done)); // only a pending decision kills: this process lives on
        drill.Persisted(Decision(DecisionStatus.Failed));
    }

    private static CoordinatorCrashDrill Drill(bool enabled) => new(
        Microsoft.Extensions.Options.Options.Create(new CoordinatorOptions { FaultInjection = enabled }), new Silo(), NullLogger<CoordinatorCrashDrill>.Instance);

    private sealed class Silo : ILocalSiloDetails
    {
        public string Name => "Silo_test";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 1);

        public SiloAddress GatewayAddress => SiloAddress;
    }
}

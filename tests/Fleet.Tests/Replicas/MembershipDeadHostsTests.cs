using System.Net;
using Fleet.Server.Replicas;

namespace Fleet.Tests.Replicas;

[Trait(Speed.Trait, Speed.Unit)]
public sealed class MembershipDeadHostsTests
{
    private static ClusterMember Member(string name, SiloStatus status, int port, int generation = 1) =>
        new(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation), status, name);

    [Fact]
    public void A_name_is_dead_only_when_every_entry_under_it_is_dead()
    {
        var dead = MembershipDeadHosts.Dead(
        [
            Member("silo-dead", SiloStatus.Dead, 1),
            Member("silo-restarted", SiloStatus.Dead, 2, generation: 1),
            Member("silo-restarted", SiloStatus.Active, 2, generation: 2),
            Member("silo-active", SiloStatus.Active, 3),
            Member("silo-stopping", SiloStatus.ShuttingDown, 4),
            Member("silo-joining", SiloStatus.Joining, 5),
        ]);

        Assert.Equal(["silo-dead"], dead);
    }
}

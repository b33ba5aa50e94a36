using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;
using Fleet.Server.Serving;

namespace Fleet.Tests.Unit;

/// <summary>What a silo does with each pushed route, decided without sessions (<see cref="RoutePlan"/>).</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class RoutePlanTests
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);
    private static readonly LoadedArtifact A = new("1", ShaA);
    private static readonly LoadedArtifact B = new("2", ShaB);
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static ModelRoute Route(long revision, LoadedArtifact? live, LoadedArtifact? fallback = null, ReplicaEndpoint[]? replicas = null) =>
        new("m", revision, ModelTask.Classification, live?.Version, live?.Sha256, null, fallback?.Version, fallback?.Sha256, null, ModelConfig.Default, replicas);

    private static ModelSlot Slot(ModelRoute route, LoadState? state = null) =>
        new(route, null, null, state is null ? null : new VersionLoadStatus(route.LiveVersion ?? "?", state.Value, null, null, null, T0));

    [Fact]
    public void A_first_route_loads_its_live_version_and_its_fallback()
    {
        var plan = RoutePlan.For(Route(1, B, A), "h1", null, null, null);

        Assert.Equal(new RoutePlan(RouteStep.Serve, B, true, false, A, FallbackSource.Load), plan);
    }

    [Fact]
    public void An_older_or_same_revision_is_ignored()
    {
        var current = Slot(Route(5, A));

        Assert.Equal(RouteStep.Ignore, RoutePlan.For(Route(4, B), "h1", current, A, null).Step);
        Assert.Equal(RouteStep.Ignore, RoutePlan.For(Route(5, A), "h1", current, A, null).Step);
    }

    [Fact]
    public void The_same_revision_is_retried_after_a_failed_load_or_a_missing_fallback()
    {
        var failed = RoutePlan.For(Route(5, B), "h1", Slot(Route(5, B), LoadState.Failed), null, null);
        Assert.Equal(new RoutePlan(RouteStep.Serve, B, true, false, null, FallbackSource.None), failed);

        var noFallback = RoutePlan.For(Route(5, B, A), "h1", Slot(Route(5, B, A), LoadState.Loaded), B, null);
        Assert.Equal(new RoutePlan(RouteStep.Serve, B, false, false, A, FallbackSource.Load), noFallback);
    }

    [Fact]
    public void A_promotion_loads_the_new_version_and_reuses_the_old_live_session_as_the_fallback()
    {
        var plan = RoutePlan.For(Route(6, B, A), "h1", Slot(Route(5, A)), A, null);

        // If the new version fails to load, the old one keeps serving: it is the route's last-known-good.
        Assert.Equal(new RoutePlan(RouteStep.Serve, B, true, true, A, FallbackSource.Reuse), plan);
    }

    [Fact]
    public void A_rollback_reuses_the_last_known_good_session_as_live()
    {
        var plan = RoutePlan.For(Route(7, A), "h1", Slot(Route(6, B, A)), B, A);

        Assert.Equal(new RoutePlan(RouteStep.Serve, A, false, false, null, FallbackSource.None), plan);
    }

    [Fact]
    public void A_version_that_is_also_the_fallback_serves_both_from_one_session()
    {
        var plan = RoutePlan.For(Route(2, A, A), "h1", null, null, null);

        Assert.Equal(FallbackSource.Live, plan.FallbackFrom);
        Assert.True(plan.LoadLive);
    }

    [Fact]
    public void A_failed_load_keeps_the_previous_version_only_when_it_is_the_new_fallback()
    {
        var quarantined = RoutePlan.For(Route(6, B), "h1", Slot(Route(5, A)), A, null);

        Assert.False(quarantined.KeepPreviousOnFailure);
    }

    [Fact]
    public void A_route_placed_on_other_hosts_lets_go_of_the_model()
    {
        var elsewhere = new[] { new ReplicaEndpoint("h2", "http://127.0.0.1:5002") };

        Assert.Equal(RouteStep.PlaceAway, RoutePlan.For(Route(3, A, null, elsewhere), "h1", Slot(Route(2, A)), A, null).Step);
        Assert.Equal(RouteStep.Serve, RoutePlan.For(Route(3, A, null, elsewhere), "h2", null, null, null).Step);
    }
}

using Fleet.Abstractions.Models;
using Fleet.Abstractions.Routing;

namespace Fleet.Server.Serving;

/// <summary>A version's artifact: what a silo has loaded, or what a route asks for.</summary>
internal readonly record struct LoadedArtifact(string Version, string Sha256);

/// <summary>What a silo does with a route: nothing (it has this revision), let go of the model (placed on other hosts), or serve it.</summary>
internal enum RouteStep
{
    Ignore,
    PlaceAway,
    Serve,
}

/// <summary>Where the last-known-good comes from when serving.</summary>
internal enum FallbackSource
{
    /// <summary>The route names none.</summary>
    None,

    /// <summary>The same artifact as the live version (one session serves both).</summary>
    Live,

    /// <summary>A session already loaded here (after a promotion, the previous live one).</summary>
    Reuse,

    /// <summary>Loaded from the artifact store.</summary>
    Load,
}

/// <summary>
/// How a silo brings its slot in line with a pushed route, decided from what it has loaded: pure, so every case
/// (a newer revision, a retry after a failed load, a promotion that reuses the old live session as the fallback,
/// a placement elsewhere) is unit-tested without sessions. <see cref="ModelHost"/> carries it out.
/// </summary>
/// <param name="LoadLive">The live version must be loaded (it is not among the sessions here).</param>
/// <param name="KeepPreviousOnFailure">If that load fails, the previous live session keeps serving: it is the route's last-known-good.</param>
internal sealed record RoutePlan(RouteStep Step, LoadedArtifact? Live, bool LoadLive, bool KeepPreviousOnFailure, LoadedArtifact? Fallback, FallbackSource FallbackFrom)
{
    private static readonly RoutePlan Ignored = new(RouteStep.Ignore, null, false, false, null, FallbackSource.None);
    private static readonly RoutePlan PlacedAway = new(RouteStep.PlaceAway, null, false, false, null, FallbackSource.None);

    /// <param name="current">This silo's slot for the model (null: never seen).</param>
    /// <param name="liveHere">The live session's artifact in <paramref name="current"/>, if any.</param>
    /// <param name="fallbackHere">The last-known-good session's artifact in <paramref name="current"/>, if any.</param>
    public static RoutePlan For(ModelRoute route, string host, ModelSlot? current, LoadedArtifact? liveHere, LoadedArtifact? fallbackHere)
    {
        if (current is not null && current.Route.Revision >= route.Revision && !RetriesFailedLoad(route, current, fallbackHere))
            return Ignored;
        if (!route.IsAssignedTo(host))
            return PlacedAway;

        var owned = new List<LoadedArtifact>(2);
        if (liveHere is { } l)
            owned.Add(l);
        if (fallbackHere is { } f && !owned.Contains(f))
            owned.Add(f);

        LoadedArtifact? live = null;
        var loadLive = false;
        if (route.LiveVersion is not null && route.Sha256 is not null)
        {
            live = new LoadedArtifact(route.LiveVersion, route.Sha256);
            loadLive = !owned.Remove(live.Value);
        }

        LoadedArtifact? fallback = null;
        var from = FallbackSource.None;
        if (route.FallbackVersion is not null && route.FallbackSha256 is not null)
        {
            fallback = new LoadedArtifact(route.FallbackVersion, route.FallbackSha256);
            from = fallback == live ? FallbackSource.Live : owned.Contains(fallback.Value) ? FallbackSource.Reuse : FallbackSource.Load;
        }

        var keep = loadLive && liveHere is { } previous && previous == fallback;
        return new RoutePlan(RouteStep.Serve, live, loadLive, keep, fallback, from);
    }

    /// <summary>The same revision again after this silo failed to load its live or last-known-good version: try again.</summary>
    private static bool RetriesFailedLoad(ModelRoute route, ModelSlot current, LoadedArtifact? fallbackHere) =>
        current.Route.Revision == route.Revision
        && (current.Status?.State == LoadState.Failed || (route.FallbackVersion is not null && fallbackHere is null));
}

using Fleet.Models;

namespace Fleet.Routing;

/// <summary>
/// What every silo needs to serve a model without asking a grain: the live version and its artifact.
/// <see cref="Revision"/> grows with every change so a silo can drop a stale push.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelRoute")]
public sealed record ModelRoute(
    [property: Id(0)] string Model,
    [property: Id(1)] long Revision,
    [property: Id(2)] ModelTask Task,
    [property: Id(3)] string? LiveVersion,
    [property: Id(4)] string? Sha256);

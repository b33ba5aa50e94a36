namespace Fleet.Abstractions.Models;

/// <summary>
/// A human's pin on a model (<c>fleet pin MODEL VERSION</c>): the live version stays as it is. Automation (the
/// coordinator) never moves a pinned model, and promote, rollback and retire are refused until it is unpinned.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelPin")]
public sealed record ModelPin(
    [property: Id(0)] string Version,
    [property: Id(1)] string Reason,
    [property: Id(2)] string Actor,
    [property: Id(3)] DateTimeOffset At);

namespace Fleet.Abstractions.Models;

/// <summary>The result of promote or rollback: which version is live now and which was before.</summary>
[GenerateSerializer, Immutable, Alias("fleet.LifecycleChange")]
public sealed record LifecycleChange(
    [property: Id(0)] string Model,
    [property: Id(1)] string? LiveVersion,
    [property: Id(2)] string? PreviousLiveVersion)
{
    /// <summary>Promote only: what the promotion gate found (the labelled reference evaluation against live), also when it let the version through.</summary>
    [Id(3)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Evidence { get; init; }
}

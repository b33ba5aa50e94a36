namespace Fleet.Abstractions.Models;

/// <summary>The fields given when a model is registered.</summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelDefinition")]
public sealed record ModelDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] ModelTask Task,
    [property: Id(2)] string Description);

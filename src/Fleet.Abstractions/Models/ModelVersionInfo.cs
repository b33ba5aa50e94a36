namespace Fleet.Abstractions.Models;

/// <summary>A registered version: its artifact (content-addressed by SHA-256), signature and lifecycle state.</summary>
[GenerateSerializer, Immutable, Alias("fleet.ModelVersionInfo")]
public sealed record ModelVersionInfo(
    [property: Id(0)] string Version,
    [property: Id(1)] VersionState State,
    [property: Id(2)] string Sha256,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] string Note,
    [property: Id(7)] TensorSpec[] Inputs,
    [property: Id(8)] TensorSpec[] Outputs);

namespace Fleet.Abstractions.Models;

/// <summary>What the admin API hands the model grain once the artifact is stored, its graph read and its golden set recorded.</summary>
[GenerateSerializer, Immutable, Alias("fleet.NewVersion")]
public sealed record NewVersion(
    [property: Id(0)] string? Version,
    [property: Id(1)] string Sha256,
    [property: Id(2)] long SizeBytes,
    [property: Id(3)] string CreatedBy,
    [property: Id(4)] string Note,
    [property: Id(5)] TensorSpec[] Inputs,
    [property: Id(6)] TensorSpec[] Outputs,
    [property: Id(7)] Contracts.VersionContract Contract,
    [property: Id(8)] GoldenSet? Golden = null,
    [property: Id(9)] Fleet.Monitoring.Quality.VersionEvaluation? Evaluation = null);

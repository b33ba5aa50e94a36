namespace Fleet.Abstractions.Monitoring;

/// <summary>A served prediction joined with the ground truth that arrived for it later.</summary>
[GenerateSerializer, Immutable, Alias("fleet.LabeledPrediction")]
public sealed record LabeledPrediction(
    [property: Id(0)] string Id,
    [property: Id(1)] string Version,
    [property: Id(2)] DateTimeOffset PredictedAt,
    [property: Id(3)] DateTimeOffset LabeledAt,
    [property: Id(4)] double Label,
    [property: Id(5)] int Predicted,
    [property: Id(6)] double Value,
    [property: Id(7)] double[]? Probabilities);

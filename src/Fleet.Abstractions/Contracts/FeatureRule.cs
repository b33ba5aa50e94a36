namespace Fleet.Abstractions.Contracts;

/// <summary>
/// The rule for one feature column of a model's 2-D numeric input. <see cref="Min"/>/<see cref="Max"/>
/// are the allowed range (null = unbounded); <see cref="Categories"/>, when set, is the allowed set of
/// integer codes and replaces the range. <see cref="Median"/> and <see cref="Mad"/> (median absolute
/// deviation) from the reference data drive the per-row outlier score.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.FeatureRule")]
public sealed record FeatureRule(
    [property: Id(0)] int Index,
    [property: Id(1)] string Name,
    [property: Id(2)] double? Min,
    [property: Id(3)] double? Max,
    [property: Id(4)] bool AllowMissing,
    [property: Id(5)] long[]? Categories,
    [property: Id(6)] double Median,
    [property: Id(7)] double Mad);

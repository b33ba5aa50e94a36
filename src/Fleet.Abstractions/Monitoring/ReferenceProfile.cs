using Fleet.Drift;

namespace Fleet.Abstractions.Monitoring;

/// <summary>
/// What "normal" looks like for one version: its reference rows (sampled to at most
/// <see cref="MaxRows"/>), the model's own outputs on them and, when the upload had a label column, the
/// labels, the reference quality and the confidence calibration for label-free estimates.
/// <see cref="Source"/> is <c>upload</c> (from <c>--reference</c>) or <c>live</c> (the first N live rows).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.ReferenceProfile")]
public sealed record ReferenceProfile(
    [property: Id(0)] string Version,
    [property: Id(1)] string Source,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] string[] FeatureNames,
    [property: Id(4)] FeatureKind[] Kinds,
    [property: Id(5)] double[][] Columns,
    [property: Id(6)] double[] Output,
    [property: Id(7)] FeatureKind OutputKind,
    [property: Id(8)] int[] Predicted,
    [property: Id(9)] double[] Confidence,
    [property: Id(10)] double[]? Labels,
    [property: Id(11)] int ClassCount)
{
    public const int MaxRows = 5000;

    public const string OutputName = "__output__";

    public int RowCount => Output.Length;
}

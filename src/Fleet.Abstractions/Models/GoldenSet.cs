namespace Fleet.Abstractions.Models;

/// <summary>
/// A version's golden set: inputs and the outputs the version must return for them, recorded when the version
/// was added (from its reference data, from a golden file the user sent, or from zero inputs). The probes of
/// every host run it and compare: an output passes when |actual − expected| ≤ <see cref="Tolerance"/> +
/// <see cref="RelativeTolerance"/> × |expected| (integer and BOOL outputs must be equal).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.GoldenSet")]
public sealed record GoldenSet(
    [property: Id(0)] string Source,
    [property: Id(1)] double Tolerance,
    [property: Id(2)] double RelativeTolerance,
    [property: Id(3)] GoldenTensor[] Inputs,
    [property: Id(4)] GoldenTensor[] Expected,
    [property: Id(5)] DateTimeOffset RecordedAt)
{
    /// <summary>Rows of the golden request: dimension 0 of the first input (1 for a scalar).</summary>
    public long Rows => Inputs.Length > 0 && Inputs[0].Shape.Length > 0 ? Inputs[0].Shape[0] : 1;

    /// <summary>
    /// For a classifier recorded from labelled reference rows: those rows' labels. The probe then also checks the
    /// answers against them, so a wrong model's own answers are never the whole truth of its golden set.
    /// </summary>
    [Id(6)] public GoldenLabels? Labels { get; init; }
}

/// <summary>The reference labels of the golden rows, and the output that answers them (class probabilities, or class labels).</summary>
[GenerateSerializer, Immutable, Alias("fleet.GoldenLabels")]
public sealed record GoldenLabels(
    [property: Id(0)] string Output,
    [property: Id(1)] bool Probabilities,
    [property: Id(2)] int[] Labels);

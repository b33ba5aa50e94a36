namespace Fleet.Guardrails;

/// <summary>Knobs of <see cref="ContractInference.Infer"/>.</summary>
public sealed record ContractInferenceOptions
{
    public static ContractInferenceOptions Default { get; } = new();

    /// <summary>
    /// Observed ranges are widened by this fraction of (max − min) on each side (default 0.1), so values a little
    /// outside what the reference happened to contain are not flagged.
    /// </summary>
    public double RangeMargin { get; init; } = 0.1;

    /// <summary>An all-integer column with 2 to this many distinct values (default 10) becomes a category set.</summary>
    public int MaxCategories { get; init; } = 10;
}

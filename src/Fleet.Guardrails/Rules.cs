namespace Fleet.Guardrails;

/// <summary>Rule names as they appear in violations, metrics and docs/contracts.md.</summary>
public static class Rules
{
    public const string Missing = "missing";

    /// <summary>A missing value replaced by the feature's reference median (<see cref="GuardMode.Impute"/>).</summary>
    public const string Imputed = "imputed";
    public const string BelowMin = "below_min";
    public const string AboveMax = "above_max";
    public const string Category = "category";

    public const string NonFinite = "non_finite";
    public const string ProbabilityRange = "probability_range";
    public const string ProbabilitySum = "probability_sum";
    public const string LabelRange = "label_range";
    public const string ValueRange = "value_range";
    public const string EmbeddingNorm = "embedding_norm";

    /// <summary>Most violations a check lists; the counts go on beyond it.</summary>
    public const int MaxListed = 100;
}

namespace Fleet.Drift;

/// <summary>
/// Thresholds of <see cref="DriftAnalyzer.Analyze"/>. A feature drifts only when its adjusted p-value is below
/// <see cref="Alpha"/> and its effect size reaches its threshold: with large windows a test alone flags
/// shifts too small to matter. The defaults and their reasons are in src/Fleet.Drift/README.md.
/// </summary>
public sealed record DriftSettings
{
    public static DriftSettings Default { get; } = new();

    /// <summary>Significance level applied to the adjusted p-values. Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// Correction across all features with enough data, the output feature included. Default
    /// Benjamini-Hochberg: controls the share of false alarms among flagged features without Bonferroni's
    /// loss of power on models with hundreds of features.
    /// </summary>
    public PValueCorrection Correction { get; init; } = PValueCorrection.BenjaminiHochberg;

    /// <summary>
    /// Fewest non-missing values per side (reference and current) for a feature to be tested; below it the
    /// feature is <see cref="DriftVerdict.InsufficientData"/>. Default 100.
    /// </summary>
    public int MinSamples { get; init; } = 100;

    /// <summary>
    /// Smallest normalised Wasserstein distance (Wasserstein-1 over the reference's standard deviation) at
    /// which a numeric feature can drift. Default 0.1 (Evidently's default threshold for this measure).
    /// </summary>
    public double NumericEffectThreshold { get; init; } = 0.1;

    /// <summary>
    /// Smallest Jensen-Shannon distance (base 2, in [0, 1]) at which a categorical feature can drift.
    /// Default 0.1 (Evidently's default threshold for this measure).
    /// </summary>
    public double CategoricalEffectThreshold { get; init; } = 0.1;

    /// <summary>
    /// The window drifts when at least this share of the input features with enough data drift (the output
    /// feature is judged on its own). Default 0.5 (Evidently's dataset drift share).
    /// </summary>
    public double DriftShare { get; init; } = 0.5;

    /// <summary>
    /// An input feature whose effect is at least this many times its threshold drifts the window on its own,
    /// below the share (0.5 normalised Wasserstein with the default 0.1: half a standard deviation). Default 5.
    /// </summary>
    public double LargeEffectFactor { get; init; } = 5;

    /// <summary>Name of the feature holding the model's predictions, if present. Default "__output__".</summary>
    public string OutputFeatureName { get; init; } = "__output__";

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be in (0, 1)");
        if (MinSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(MinSamples), MinSamples, "MinSamples must be at least 1");
        if (!(NumericEffectThreshold >= 0) || !(CategoricalEffectThreshold >= 0))
            throw new ArgumentOutOfRangeException(nameof(NumericEffectThreshold), "effect thresholds must be at least 0");
        if (!(DriftShare > 0 && DriftShare <= 1))
            throw new ArgumentOutOfRangeException(nameof(DriftShare), DriftShare, "DriftShare must be in (0, 1]");
        if (!(LargeEffectFactor >= 1))
            throw new ArgumentOutOfRangeException(nameof(LargeEffectFactor), LargeEffectFactor, "LargeEffectFactor must be at least 1");
        if (!Enum.IsDefined(Correction))
            throw new ArgumentOutOfRangeException(nameof(Correction), Correction, "unknown p-value correction");
        ArgumentNullException.ThrowIfNull(OutputFeatureName);
    }
}

namespace Fleet.Drift;

/// <summary>How a feature's values are compared: as a continuous quantity or as category codes.</summary>
public enum FeatureKind
{
    /// <summary>Continuous values: Kolmogorov-Smirnov test, normalised Wasserstein effect, decile PSI.</summary>
    Numeric = 0,

    /// <summary>Category codes compared exactly: chi-square test, Jensen-Shannon effect, per-category PSI.</summary>
    Categorical = 1,
}

namespace Fleet.Drift;

/// <summary>How per-feature p-values are adjusted for testing many features at once (<see cref="MultipleTesting"/>).</summary>
public enum PValueCorrection
{
    /// <summary>Raw p-values: about Alpha x features false alarms per clean window.</summary>
    None = 0,

    /// <summary>Family-wise error control: p x m, capped at 1. Strict when many features are tested.</summary>
    Bonferroni = 1,

    /// <summary>False discovery rate control (Benjamini-Hochberg step-up), as statsmodels' <c>fdr_bh</c>.</summary>
    BenjaminiHochberg = 2,
}

namespace Fleet.Guardrails;

/// <summary>
/// How <see cref="InputGuard.Check"/> treats each rule. Defaults: range and category rules flag, a missing
/// value (NaN) where the contract does not allow one rejects, outlier threshold 6.
/// </summary>
public sealed record InputModes
{
    public static InputModes Default { get; } = new();

    /// <summary>The <c>below_min</c>, <c>above_max</c> and <c>category</c> rules (default Flag).</summary>
    public GuardMode RangeMode { get; init; } = GuardMode.Flag;

    /// <summary>The <c>missing</c> rule: NaN in a feature whose contract has AllowMissing false (default Reject).</summary>
    public GuardMode MissingMode { get; init; } = GuardMode.Reject;

    /// <summary>
    /// A row is an outlier when max over features of |x − median| / robust scale exceeds this (default 6).
    /// Outliers are counted, never rejected. 0 or less turns scoring off.
    /// </summary>
    public double OutlierThreshold { get; init; } = 6.0;
}

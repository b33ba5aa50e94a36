namespace Fleet.Guardrails;

/// <summary>
/// The result of <see cref="InputGuard.Check"/>. A struct so that a clean check allocates nothing, yet still carries
/// its outlier score. <see cref="Violations"/> lists at most <see cref="Rules.MaxListed"/>; <see cref="ViolationCount"/>
/// and <see cref="CountsByRule"/> count all of them. Outliers are reported, never a reason to reject.
/// </summary>
public readonly struct InputCheck
{
    private readonly Violation[]? _violations;
    private readonly IReadOnlyDictionary<string, int>? _counts;
    private readonly int[]? _outlierRows;

    internal InputCheck(bool reject, Violation[] violations, int violationCount, IReadOnlyDictionary<string, int> counts, int[] outlierRows, double maxOutlierScore)
    {
        Reject = reject;
        _violations = violations;
        ViolationCount = violationCount;
        _counts = counts;
        _outlierRows = outlierRows;
        MaxOutlierScore = maxOutlierScore;
    }

    /// <summary>A violation of a rule whose mode is <see cref="GuardMode.Reject"/> occurred.</summary>
    public bool Reject { get; }

    public IReadOnlyList<Violation> Violations => _violations ?? [];

    public int ViolationCount { get; }

    /// <summary>Violations per rule name (<see cref="Rules.Missing"/>, ...); rules with none are absent.</summary>
    public IReadOnlyDictionary<string, int> CountsByRule => _counts ?? ViolationLog.Empty;

    /// <summary>Rows whose outlier score exceeds the threshold, ascending.</summary>
    public int[] OutlierRows => _outlierRows ?? [];

    /// <summary>Highest row score max_f |x − median| / scale in the request; 0 when scoring is off.</summary>
    public double MaxOutlierScore { get; }

    /// <summary>No violations and no outliers.</summary>
    public bool IsClean => ViolationCount == 0 && OutlierRows.Length == 0;
}

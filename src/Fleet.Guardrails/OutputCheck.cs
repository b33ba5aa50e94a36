namespace Fleet.Guardrails;

/// <summary>
/// The result of <see cref="OutputGuard.Check"/>. <see cref="Violations"/> lists at most <see cref="Rules.MaxListed"/>;
/// <see cref="ViolationCount"/> and <see cref="CountsByRule"/> count all. <see cref="Summary"/> is one line for logs and
/// error responses ("ok" when <see cref="Ok"/>).
/// </summary>
public sealed class OutputCheck
{
    internal OutputCheck(IReadOnlyList<Violation> violations, int violationCount, IReadOnlyDictionary<string, int> countsByRule, string summary)
    {
        Violations = violations;
        ViolationCount = violationCount;
        CountsByRule = countsByRule;
        Summary = summary;
    }

    /// <summary>The shared result of every clean check.</summary>
    public static OutputCheck Passed { get; } = new([], 0, ViolationLog.Empty, "ok");

    public bool Ok => ViolationCount == 0;

    public IReadOnlyList<Violation> Violations { get; }

    public int ViolationCount { get; }

    /// <summary>Violations per rule name (<see cref="Rules.NonFinite"/>, ...); rules with none are absent.</summary>
    public IReadOnlyDictionary<string, int> CountsByRule { get; }

    /// <summary>E.g. <c>output 'probabilities': 4 non-finite values (first at row 1)</c>.</summary>
    public string Summary { get; }
}

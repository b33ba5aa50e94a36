namespace Fleet.Statistics;

/// <summary>
/// The error kinds the serving path reports to <see cref="VersionStatsRecorder.RecordError"/>. Any other
/// string is counted under its own name, up to <see cref="StatsOptions.MaxNames"/> names per category.
/// </summary>
public static class ErrorKinds
{
    public const string BadInput = "bad_input";
    public const string ContractViolation = "contract_violation";
    public const string RuntimeError = "runtime_error";
    public const string Fallback = "fallback";
    public const string Unavailable = "unavailable";

    /// <summary>Where names beyond the per-category bound are counted (errors, fallbacks, violations).</summary>
    public const string Other = "other";
}

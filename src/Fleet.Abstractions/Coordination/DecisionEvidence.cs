namespace Fleet.Abstractions.Coordination;

/// <summary>
/// Why a decision was made: the <see cref="Trigger"/> (<c>golden_all_hosts</c>, <c>golden_some_hosts</c>,
/// <c>output_violations</c>, <c>quality_drop</c>), the numbers observed and the thresholds they were held against,
/// the signals (one line each: per host probe failures, fallback counts, detector signals) and when it was seen.
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.DecisionEvidence")]
public sealed record DecisionEvidence(
    [property: Id(0)] string Trigger,
    [property: Id(1)] Dictionary<string, double> Observed,
    [property: Id(2)] Dictionary<string, double> Thresholds,
    [property: Id(3)] string[] Signals,
    [property: Id(4)] DateTimeOffset ObservedAt);

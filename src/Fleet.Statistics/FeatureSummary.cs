namespace Fleet.Statistics;

/// <summary>
/// One input feature over the window: <see cref="Count"/> finite values, <see cref="Missing"/> NaN or
/// infinite ones; the statistics are null when there was no finite value. Min, max and mean are exact.
/// </summary>
public sealed record FeatureSummary(
    string Name,
    long Count,
    long Missing,
    double? Min,
    double? Max,
    double? Mean,
    double? P05,
    double? P50,
    double? P95);

namespace Fleet.Statistics;

/// <summary>Request latency in milliseconds: quantiles within the sketch's relative accuracy, exact max and mean.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double Max, double Mean);

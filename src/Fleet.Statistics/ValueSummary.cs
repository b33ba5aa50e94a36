namespace Fleet.Statistics;

/// <summary>Distribution of scalar (regression) outputs.</summary>
public sealed record ValueSummary(double Min, double P05, double P50, double P95, double Max, double Mean);

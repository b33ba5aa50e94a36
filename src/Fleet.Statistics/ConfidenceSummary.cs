namespace Fleet.Statistics;

/// <summary>Distribution of the top class score per row (the model's confidence).</summary>
public sealed record ConfidenceSummary(double P05, double P50, double P95, double Mean);

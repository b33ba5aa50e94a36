namespace Fleet.Statistics;

/// <summary>Model outputs over the window; each part is null when the window has no such data.</summary>
public sealed record OutputSummary(long[]? ClassCounts, ConfidenceSummary? Confidence, ValueSummary? Values);

namespace Fleet.Monitoring.Quality;

/// <summary>Per-class counts behind accuracy and F1; <see cref="Seen"/> marks classes in labels or predictions.</summary>
internal sealed record Confusion(long[] TruePositives, long[] FalsePositives, long[] FalseNegatives, bool[] Seen);

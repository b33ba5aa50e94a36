namespace Fleet.Inference.Artifacts;

/// <summary>The outcome of re-hashing a stored artifact.</summary>
public sealed record ArtifactCheck(string Path, bool Ok, string? ActualSha256, string? Error);

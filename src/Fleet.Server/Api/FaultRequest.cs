namespace Fleet.Server.Api;

/// <summary>Body of <c>POST /api/v1/faults</c>.</summary>
internal sealed class FaultRequest
{
    public string? Model { get; set; }

    public string? Version { get; set; }

    /// <summary>
    /// <c>weights</c>: this host serves another artifact's graph as the version (no checksum check).
    /// <c>crash_coordinator</c>: the coordinator's silo process dies right after its next decision is persisted as pending.
    /// </summary>
    public string? Kind { get; set; }

    /// <summary>For <c>weights</c>: the SHA-256 of a stored artifact (any model's) whose graph to serve instead.</summary>
    public string? ArtifactSha256 { get; set; }
}

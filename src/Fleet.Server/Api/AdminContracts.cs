using Fleet.Models;

namespace Fleet.Server.Api;

// Request and response bodies of the admin API (snake_case on the wire).

internal sealed class RegisterModelRequest
{
    public string? Name { get; set; }

    public string? Task { get; set; }

    public string? Description { get; set; }
}

internal sealed class ChangeRequest
{
    public string? Reason { get; set; }
}

internal sealed class RollbackRequest
{
    public string? To { get; set; }

    public string? Reason { get; set; }

    public bool Quarantine { get; set; }
}

internal sealed record ModelSummary(string Name, ModelTask Task, string Description, string? LiveVersion, int VersionCount, DateTimeOffset CreatedAt);

internal sealed record ModelList(ModelSummary[] Models);

internal sealed record VersionList(string Model, ModelVersionInfo[] Versions);

internal sealed record AuditLog(string Model, AuditEntry[] Entries);

using Fleet.Abstractions.Contracts;
using Fleet.Abstractions.Models;

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

    /// <summary>Promote only: override the promotion gate's refusal (needs a reason; audited as <c>promote+forced</c>).</summary>
    public bool Force { get; set; }
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

/// <summary>The 201 body of an upload: the version's fields plus the contract inferred for it and a summary of its golden set.</summary>
internal sealed record AddedVersion(
    string Version, VersionState State, string Sha256, long SizeBytes, DateTimeOffset CreatedAt, string CreatedBy, string Note,
    TensorSpec[] Inputs, TensorSpec[] Outputs, VersionContract Contract, GoldenSummary? Golden, string? GoldenNone, PromotionSummary Promotion)
{
    public AddedVersion(ModelVersionInfo info, VersionContract contract, GoldenSummary? golden, string? goldenNone, PromotionSummary promotion)
        : this(info.Version, info.State, info.Sha256, info.SizeBytes, info.CreatedAt, info.CreatedBy, info.Note, info.Inputs, info.Outputs, contract, golden, goldenNone, promotion)
    {
    }

    /// <summary>Labels came with the reference but could not be scored: why, so the gate's "not evaluated" is never a mystery.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? EvaluationNone { get; init; }
}

/// <summary>
/// <c>GET /api/v1/models/{name}/versions/{version}</c>: the version and its golden set (source, rows, tolerance), or
/// <c>golden_none</c> saying that it has none yet and how it gets one.
/// </summary>
internal sealed record VersionDetails(
    string Version, VersionState State, string Sha256, long SizeBytes, DateTimeOffset CreatedAt, string CreatedBy, string Note,
    TensorSpec[] Inputs, TensorSpec[] Outputs, GoldenSummary? Golden, string? GoldenNone, PromotionSummary Promotion)
{
    public VersionDetails(ModelVersionInfo info, GoldenSummary? golden, string? goldenNone, PromotionSummary promotion)
        : this(info.Version, info.State, info.Sha256, info.SizeBytes, info.CreatedAt, info.CreatedBy, info.Note, info.Inputs, info.Outputs, golden, goldenNone, promotion)
    {
    }
}

/// <summary>The answer of pin (<see cref="Pin"/> set) and unpin (<see cref="Unpinned"/>: the pin removed, null when there was none).</summary>
internal sealed record PinResponse(string Model, ModelPin? Pin, ModelPin? Unpinned);

/// <summary>A raw JSON body (the config patch).</summary>
internal sealed class JsonElementBody
{
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement> Properties { get; set; } = [];

    public System.Text.Json.JsonElement Value => System.Text.Json.JsonSerializer.SerializeToElement(Properties);
}

/// <summary>A contract as PUT by a user: the records' snake_case JSON, with every field checked afterwards.</summary>
internal sealed class VersionContractBody
{
    public InputContract? Input { get; set; }

    public OutputContract? Output { get; set; }

    public VersionContract ToContract() => new(Input, Output ?? throw new Protocol.InvalidRequestException("output: missing (give at least {\"outputs\": [], \"source\": \"...\"})"));
}

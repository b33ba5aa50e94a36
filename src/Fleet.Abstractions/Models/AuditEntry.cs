namespace Fleet.Abstractions.Models;

/// <summary>One registry change, appended to the model's audit log.</summary>
[GenerateSerializer, Immutable, Alias("fleet.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Action,
    [property: Id(2)] string? From,
    [property: Id(3)] string? To,
    [property: Id(4)] string Reason,
    [property: Id(5)] string Actor);

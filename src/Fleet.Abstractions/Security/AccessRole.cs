namespace Fleet.Abstractions.Security;

/// <summary>
/// What a token may do. Roles are ordered: each includes the ones before it (an <see cref="Operate"/> token can also
/// ingest and read).
/// </summary>
public enum AccessRole
{
    /// <summary>GET everything: status, models, statistics, drift, exports, alerts, incidents, traces, <c>/metrics</c>, the dashboard.</summary>
    Read = 1,

    /// <summary>Send data in: ground-truth labels (<c>POST /api/v1/feedback</c>).</summary>
    Ingest = 2,

    /// <summary>Move models: promote, roll back, retire, quarantine, pin, contracts, config, drift runs, retraining acks, incidents.</summary>
    Operate = 3,

    /// <summary>Everything: register models, upload versions, tokens, faults, silences.</summary>
    Admin = 4,
}

/// <summary>Role names as they are written in settings, on the wire and in messages (<c>read</c>, <c>ingest</c>, <c>operate</c>, <c>admin</c>).</summary>
public static class AccessRoles
{
    public static readonly string[] Names = ["read", "ingest", "operate", "admin"];

    public static string Name(this AccessRole role) => role switch
    {
        AccessRole.Read => "read",
        AccessRole.Ingest => "ingest",
        AccessRole.Operate => "operate",
        AccessRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    public static bool TryParse(string? text, out AccessRole role)
    {
        var index = Array.IndexOf(Names, text?.Trim().ToLowerInvariant());
        role = (AccessRole)(index + 1);
        return index >= 0;
    }

    /// <summary>Does <paramref name="held"/> include <paramref name="needed"/>?</summary>
    public static bool Includes(this AccessRole held, AccessRole needed) => held >= needed;
}

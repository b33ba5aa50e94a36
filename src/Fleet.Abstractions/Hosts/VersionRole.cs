using System.Text.Json.Serialization;
using Fleet.Abstractions.Serialization;

namespace Fleet.Abstractions.Hosts;

/// <summary>
/// Why a version is loaded on a host: <c>live</c> (serves the model), <c>fallback</c> (its last-known-good, preloaded)
/// or <c>pinned</c> (named by a request). Stored and sent as those words (<see cref="VersionRoleCodec"/>).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<VersionRole>))]
public enum VersionRole
{
    Live,
    Fallback,
    Pinned,
}

public static class VersionRoles
{
    /// <summary>The word for reasons and logs, as JSON and storage spell it.</summary>
    public static string ToWire(this VersionRole role) => role switch
    {
        VersionRole.Live => "live",
        VersionRole.Fallback => "fallback",
        VersionRole.Pinned => "pinned",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}

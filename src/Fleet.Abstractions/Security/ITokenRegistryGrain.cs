namespace Fleet.Abstractions.Security;

/// <summary>
/// The cluster's run-time tokens (key <see cref="Key"/>), persisted with the grain state (local files or Redis), so
/// <c>fleet tokens add|revoke</c> work without a restart. Silos keep a copy and re-read it on a period
/// (<c>Fleet:Security:TokenRefreshInterval</c>), so a check never waits on this grain.
/// </summary>
public interface ITokenRegistryGrain : IGrainWithStringKey
{
    public const string Key = "tokens";

    Task<TokenList> List();

    /// <summary>Adds a token; a name already taken is refused (<c>RegistryException</c> Conflict).</summary>
    Task<ApiToken> Add(string name, AccessRole role, string hash, string actor);

    /// <summary>Removes a token by name; an unknown name is NotFound.</summary>
    Task<ApiToken> Revoke(string name, string actor);
}

using System.Text.RegularExpressions;
using Fleet.Abstractions.Models;
using Fleet.Abstractions.Security;

namespace Fleet.Grains.Security;

/// <summary>The rules of the run-time token list, over its state: names are unique and well formed, hashes are SHA-256 hex, history is bounded.</summary>
public static partial class TokenBook
{
    /// <summary>Events kept with the tokens (the oldest go first).</summary>
    public const int MaxEvents = 200;

    /// <summary>Run-time tokens at most: a bound on what every silo holds and checks.</summary>
    public const int MaxTokens = 1000;

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "name: missing (say what the token is for, e.g. ci or grafana)");
        }

        if (!IsValidName(name))
        {
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"name: '{(name.Length > 64 ? name[..64] + "..." : name)}' is not a token name (1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)");
        }
    }

    public static ApiToken Add(TokenRegistryState state, string name, AccessRole role, string hash, string actor, DateTimeOffset now)
    {
        ValidateName(name);
        if (!Enum.IsDefined(role))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, $"role: {(int)role} is not one of {string.Join(", ", AccessRoles.Names)}");
        }

        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new RegistryException(RegistryErrorKind.Invalid, "hash: not a lowercase SHA-256 hex digest");
        }

        if (state.Tokens.Any(t => t.Name == name))
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"token '{name}' exists already (revoke it first to replace it)");
        }

        if (state.Tokens.Count >= MaxTokens)
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"tokens: {MaxTokens} tokens exist already; revoke unused ones first");
        }

        var token = new ApiToken(name, role, hash, now, actor);
        state.Tokens.Add(token);
        Record(state, new TokenEvent(now, "add", name, role, actor));
        return token;
    }

    public static ApiToken Revoke(TokenRegistryState state, string name, string actor, DateTimeOffset now)
    {
        var token = state.Tokens.FirstOrDefault(t => t.Name == name)
            ?? throw new RegistryException(RegistryErrorKind.NotFound, $"token '{(name.Length > 64 ? name[..64] + "..." : name)}' not found (fleet tokens list shows them)");
        state.Tokens.Remove(token);
        Record(state, new TokenEvent(now, "revoke", name, token.Role, actor));
        return token;
    }

    public static TokenList ToList(TokenRegistryState state) => new([.. state.Tokens], [.. state.Events], state.Generation);

    private static void Record(TokenRegistryState state, TokenEvent e)
    {
        state.Generation++;
        state.Events.Add(e);
        if (state.Events.Count > MaxEvents)
        {
            state.Events.RemoveRange(0, state.Events.Count - MaxEvents);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}

/// <summary>The run-time tokens (hashed) and their history, persisted by <see cref="TokenRegistryGrain"/>.</summary>
[GenerateSerializer, Alias("fleet.TokenRegistryState")]
public sealed class TokenRegistryState
{
    [Id(0)] public List<ApiToken> Tokens { get; set; } = [];

    [Id(1)] public List<TokenEvent> Events { get; set; } = [];

    /// <summary>Counts changes, so a silo can tell its copy is current.</summary>
    [Id(2)] public long Generation { get; set; }
}

using System.Collections.Frozen;
using Fleet.Abstractions.Security;
using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Security;

/// <summary>
/// This silo's copy of every token, by the SHA-256 of its secret: those from settings, read once, and the run-time ones
/// from <see cref="ITokenRegistryGrain"/>, replaced whole on each refresh. A check is one hash and one lookup, no grain call.
/// </summary>
internal sealed class AccessTokens
{
    private readonly FrozenDictionary<string, AccessIdentity> _configured;
    private volatile Snapshot _current;

    public AccessTokens(IOptions<SecurityOptions> security, IOptions<FleetOptions> fleet)
    {
        // Problems were reported by SecurityOptionsValidator at start; what is left here is valid.
        var (tokens, _) = ConfiguredTokens.Read(security.Value, fleet.Value);
        _configured = tokens.DistinctBy(t => t.Hash).ToFrozenDictionary(t => t.Hash, t => t.Identity, StringComparer.Ordinal);
        _current = new Snapshot(_configured, [], -1);
    }

    /// <summary>The tokens from settings.</summary>
    public IEnumerable<AccessIdentity> Configured => _configured.Values.OrderBy(i => i.Name, StringComparer.Ordinal);

    /// <summary>The run-time tokens as last read.</summary>
    public IReadOnlyList<ApiToken> RunTime => _current.RunTime;

    /// <summary>The generation of the run-time list last read (-1 before the first read).</summary>
    public long Generation => _current.Generation;

    /// <summary>No token at all: the server is in protected mode (admin from loopback only).</summary>
    public bool None => _current.ByHash.Count == 0;

    public int Count => _current.ByHash.Count;

    public AccessIdentity? Find(string secret) =>
        secret.Length is > 0 and <= 512 && _current.ByHash.TryGetValue(TokenSecrets.Hash(secret), out var identity) ? identity : null;

    /// <summary>The last failed re-read (when, why), cleared by the next good one: a silo that cannot re-read may honour a revoked token.</summary>
    public (DateTimeOffset At, string Error)? RefreshFailure { get; set; }

    public bool IsConfiguredName(string name) => _configured.Values.Any(i => i.Name == name);

    /// <summary>Replaces the run-time tokens with <paramref name="list"/> unless it is older than the copy held.</summary>
    public void Apply(TokenList list)
    {
        var held = _current;
        if (list.Generation < held.Generation)
        {
            return;
        }

        var byHash = new Dictionary<string, AccessIdentity>(_configured, StringComparer.Ordinal);
        foreach (var token in list.Tokens)
        {
            byHash.TryAdd(token.Hash, new AccessIdentity(token.Name, token.Role, "api"));
        }

        _current = new Snapshot(byHash.ToFrozenDictionary(StringComparer.Ordinal), list.Tokens, list.Generation);
    }

    private sealed record Snapshot(FrozenDictionary<string, AccessIdentity> ByHash, IReadOnlyList<ApiToken> RunTime, long Generation);
}

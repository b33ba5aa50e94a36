using Fleet.Abstractions.Security;

namespace Fleet.Grains.Security;

/// <summary>The run-time token list: thin over <see cref="TokenBook"/>, every change persisted before it is answered.</summary>
internal sealed class TokenRegistryGrain(
    [PersistentState("tokens", FleetStorage.Name)] IPersistentState<TokenRegistryState> state,
    TimeProvider time) : Grain, ITokenRegistryGrain
{
    public Task<TokenList> List() => Task.FromResult(TokenBook.ToList(state.State));

    public async Task<ApiToken> Add(string name, AccessRole role, string hash, string actor)
    {
        var token = TokenBook.Add(state.State, name, role, hash, actor, time.GetUtcNow());
        await state.WriteStateAsync();
        return token;
    }

    public async Task<ApiToken> Revoke(string name, string actor)
    {
        var token = TokenBook.Revoke(state.State, name, actor, time.GetUtcNow());
        await state.WriteStateAsync();
        return token;
    }
}

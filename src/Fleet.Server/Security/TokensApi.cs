using Fleet.Abstractions.Models;
using Fleet.Abstractions.Security;
using Fleet.Grains.Security;
using Fleet.Server.Api;
using Fleet.Server.Protocol;

namespace Fleet.Server.Security;

/// <summary>
/// <c>/api/v1/tokens</c> (admin): list the tokens (names and roles, never secrets), add one (its secret is answered once)
/// and revoke one, without a restart. Tokens from settings are listed but changed only in settings.
/// </summary>
internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Security");
        tokens.MapGet("", List).Needs(AccessRole.Admin, "listing tokens");
        tokens.MapGet("/me", (HttpContext context, AccessTokens all) => Me(context, all)).Needs(AccessRole.Read, "reading");
        tokens.MapPost("", Add).Needs(AccessRole.Admin, "adding a token");
        tokens.MapDelete("/{name}", Revoke).Needs(AccessRole.Admin, "revoking a token");
        return api;
    }

    private static async Task<TokenListing> List(IGrainFactory grains, AccessTokens tokens)
    {
        var list = await Registry(grains).List();
        tokens.Apply(list);
        var configured = tokens.Configured.Select(i => new TokenView(i.Name, i.Role.Name(), "config", null, null));
        var runTime = list.Tokens.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new TokenView(t.Name, t.Role.Name(), "api", t.CreatedAt, t.CreatedBy));
        return new TokenListing([.. configured, .. runTime],
            [.. list.Events.Reverse().Take(50).Select(e => new TokenEventView(e.At, e.Action, e.Name, e.Role.Name(), e.Actor))],
            tokens.RefreshFailure is { } failed ? new RefreshFailureView(failed.At, failed.Error) : null);
    }

    private static object Me(HttpContext context, AccessTokens tokens) => AccessContext.IdentityOf(context) is { } who
        ? new { name = who.Name, role = who.Role.Name(), source = who.Source }
        : new { name = "anonymous", role = tokens.None ? "admin" : "none", source = tokens.None ? "protected mode (loopback, no token configured)" : "none" };

    private static async Task<IResult> Add(HttpContext context, IGrainFactory grains, AccessTokens tokens)
    {
        var body = await AdminApi.ReadAsync<AddTokenRequest>(context, allowEmpty: false);
        TokenBook.ValidateName(body.Name);
        if (!AccessRoles.TryParse(body.Role, out var role))
        {
            throw new InvalidRequestException($"role: {(string.IsNullOrEmpty(body.Role) ? "missing" : $"'{body.Role}' is not a role")} (read, ingest, operate or admin)");
        }

        if (tokens.IsConfiguredName(body.Name!))
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"token '{body.Name}' is defined in settings (Fleet:Security:Tokens); pick another name");
        }

        var secret = TokenSecrets.New();
        var registry = Registry(grains);
        var token = await registry.Add(body.Name!, role, TokenSecrets.Hash(secret), AccessContext.Actor(context));
        // This silo knows the new token at once; the others within Fleet:Security:TokenRefreshInterval.
        tokens.Apply(await registry.List());
        return Results.Created($"/api/v1/tokens/{token.Name}",
            new AddedToken(token.Name, token.Role.Name(), secret, token.CreatedAt, token.CreatedBy,
                "the secret is shown only this once: store it now (the server keeps its SHA-256 only)"));
    }

    private static async Task<RevokedToken> Revoke(HttpContext context, string name, IGrainFactory grains, AccessTokens tokens)
    {
        if (tokens.IsConfiguredName(name))
        {
            throw new RegistryException(RegistryErrorKind.Conflict, $"token '{name}' is defined in settings (Fleet:Security:Tokens); remove it there and restart");
        }

        var registry = Registry(grains);
        var token = await registry.Revoke(name, AccessContext.Actor(context));
        tokens.Apply(await registry.List());
        return new RevokedToken(token.Name, token.Role.Name(), AccessContext.Actor(context));
    }

    private static ITokenRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<ITokenRegistryGrain>(ITokenRegistryGrain.Key);
}

internal sealed class AddTokenRequest
{
    public string? Name { get; set; }

    public string? Role { get; set; }
}

internal sealed record TokenView(string Name, string Role, string Source, DateTimeOffset? CreatedAt, string? CreatedBy);

internal sealed record TokenEventView(DateTimeOffset At, string Action, string Name, string Role, string Actor);

/// <param name="RefreshFailure">This silo's last failed re-read of the run-time tokens, until the next good one (null when fine).</param>
internal sealed record TokenListing(TokenView[] Tokens, TokenEventView[] Events, RefreshFailureView? RefreshFailure);

internal sealed record RefreshFailureView(DateTimeOffset At, string Error);

internal sealed record AddedToken(string Name, string Role, string Secret, DateTimeOffset CreatedAt, string CreatedBy, string Note);

internal sealed record RevokedToken(string Name, string Role, string RevokedBy);

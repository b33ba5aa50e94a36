using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Security;

/// <summary>
/// Gathers the facts of a request (its surface, token, client address, listener) and applies <see cref="AccessPolicy"/>;
/// a refusal is answered as <c>{"error": ...}</c>, an allowed request carries its <see cref="AccessIdentity"/> onward.
/// Runs after routing, so an endpoint's <see cref="EndpointAccess"/> is known.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessTokens tokens, ListenerPlan listeners, IOptions<SecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var surface = AccessPolicy.SurfaceOf(context.Request.Path);
        if (surface == Surface.Health || surface == Surface.Inference && !options.Value.InferenceRequiresToken && !listeners.SeparateAdmin)
        {
            // The hot path: nothing to check, nothing to look up.
            return next(context);
        }

        var (given, identity) = Authenticate(context.Request.Headers.Authorization.ToString());
        var endpoint = context.GetEndpoint();
        var need = AccessPolicy.NeedOf(endpoint?.Metadata.GetMetadata<EndpointAccess>(), context.Request.Method,
            (endpoint as RouteEndpoint)?.RoutePattern.RawText);
        var decision = AccessPolicy.Decide(new AccessRequest(surface, need, identity, given,
            FromLoopback: context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip),
            OnAdminListener: listeners.IsAdminConnection(context),
            SeparateAdmin: listeners.SeparateAdmin,
            NoTokens: tokens.None), options.Value);
        if (decision.Allowed)
        {
            if (identity is not null)
            {
                context.Items[typeof(AccessIdentity)] = identity;
            }

            return next(context);
        }

        context.Response.StatusCode = decision.Status;
        if (decision.Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = decision.Challenge ? "Basic realm=\"fleet\", charset=\"UTF-8\"" : "Bearer realm=\"fleet\"";
        }

        return context.Response.WriteAsJsonAsync(new { error = decision.Error }, (System.Text.Json.JsonSerializerOptions?)null, "application/json");
    }

    /// <summary><c>Bearer SECRET</c>, or <c>Basic base64(any-user:SECRET)</c> so a browser can open the dashboard.</summary>
    private (bool Given, AccessIdentity? Identity) Authenticate(string header)
    {
        if (header.Length == 0)
        {
            return (false, null);
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (true, tokens.Find(header["Bearer ".Length..].Trim()));
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = pair.IndexOf(':');
                return (true, colon < 0 ? null : tokens.Find(pair[(colon + 1)..]));
            }
            catch (FormatException)
            {
                return (true, null);
            }
        }

        return (true, null);
    }
}

/// <summary>The identity of the request being served, and how the audit log names who acted.</summary>
internal static class AccessContext
{
    public const string ActorHeader = "Fleet-Actor";

    /// <summary>Longest client-claimed actor kept (the rest is cut).</summary>
    public const int MaxClaimLength = 64;

    public static AccessIdentity? IdentityOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(AccessIdentity), out var value) ? value as AccessIdentity : null;

    /// <summary>
    /// The token's name (<c>anonymous</c> where none was needed); a name the client claims (<paramref name="claimed"/>,
    /// else the <c>Fleet-Actor</c> header) is kept beside it as a note, never as the identity: <c>ci (Fleet-Actor: alice)</c>.
    /// </summary>
    public static string Actor(HttpContext context, string? claimed = null)
    {
        var identity = IdentityOf(context)?.Name ?? "anonymous";
        var claim = !string.IsNullOrWhiteSpace(claimed) ? claimed
            : context.Request.Headers.TryGetValue(ActorHeader, out var header) ? header.ToString() : null;
        claim = Clean(claim);
        return claim is null || claim == identity ? identity : $"{identity} (Fleet-Actor: {claim})";
    }

    private static string? Clean(string? claim)
    {
        if (string.IsNullOrWhiteSpace(claim))
        {
            return null;
        }

        var text = new string(claim.Trim().Where(c => !char.IsControl(c)).ToArray());
        return text.Length == 0 ? null : text.Length > MaxClaimLength ? text[..MaxClaimLength] + "..." : text;
    }
}

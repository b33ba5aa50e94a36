using Fleet.Abstractions.Security;

namespace Fleet.Server.Security;

/// <summary>What a path is, for access: each has its own rule.</summary>
internal enum Surface
{
    /// <summary><c>/v2/health/*</c>: open on every listener (orchestrators probe it).</summary>
    Health,

    /// <summary><c>/v2</c> and below: inference and model metadata.</summary>
    Inference,

    /// <summary><c>/api/v1</c> and below.</summary>
    Admin,

    Metrics,

    Dashboard,

    /// <summary>Anything else (the <c>/</c> redirect, unknown paths that answer 404).</summary>
    Other,
}

/// <summary>The role an endpoint needs and what to call it in a refusal ("promote needs operate").</summary>
internal sealed record EndpointAccess(AccessRole Role, string Action);

/// <summary>One request as the policy sees it.</summary>
/// <param name="CredentialGiven">An Authorization header came (whether or not it names a known token).</param>
/// <param name="NoTokens">No token is configured anywhere: protected mode.</param>
internal sealed record AccessRequest(
    Surface Surface,
    EndpointAccess Need,
    AccessIdentity? Identity,
    bool CredentialGiven,
    bool FromLoopback,
    bool OnAdminListener,
    bool SeparateAdmin,
    bool NoTokens);

/// <summary>Allowed, or the status and message to answer with; <see cref="Challenge"/> asks a browser for Basic credentials.</summary>
internal sealed record AccessDecision(int Status, string? Error, bool Challenge = false)
{
    public static readonly AccessDecision Allow = new(200, null);

    public bool Allowed => Error is null;
}

/// <summary>
/// Who may do what from where, as one pure function (the middleware only gathers the facts). Roles are ordered; the
/// protected mode (no token anywhere) lets loopback clients in and nobody else; a token is checked before its role.
/// </summary>
internal static class AccessPolicy
{
    public static Surface SurfaceOf(PathString path)
    {
        if (path.StartsWithSegments("/v2/health"))
        {
            return Surface.Health;
        }

        if (path.StartsWithSegments("/v2"))
        {
            return Surface.Inference;
        }

        if (path.StartsWithSegments("/api/v1"))
        {
            return Surface.Admin;
        }

        if (path.StartsWithSegments("/metrics"))
        {
            return Surface.Metrics;
        }

        return path.StartsWithSegments("/dashboard") ? Surface.Dashboard : Surface.Other;
    }

    /// <summary>An endpoint's own <see cref="EndpointAccess"/>, else read for GET/HEAD and admin for anything that changes state.</summary>
    public static EndpointAccess NeedOf(EndpointAccess? declared, string method, string? route) =>
        declared ?? (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
            ? new EndpointAccess(AccessRole.Read, "reading")
            : new EndpointAccess(AccessRole.Admin, $"{method} {route ?? "this endpoint"}"));

    public static AccessDecision Decide(AccessRequest r, SecurityOptions options)
    {
        if (r.Surface == Surface.Health)
        {
            return AccessDecision.Allow;
        }

        if (r.SeparateAdmin)
        {
            if (r.Surface is Surface.Admin or Surface.Metrics or Surface.Dashboard && !r.OnAdminListener)
            {
                return new AccessDecision(404, $"{What(r.Surface)} is served on the admin listener (Fleet:Security:AdminUrls), not on this one");
            }

            if (r.Surface == Surface.Inference && r.OnAdminListener)
            {
                return new AccessDecision(404, "inference is served on the main listener (--urls), not on the admin listener");
            }
        }

        switch (r.Surface)
        {
            case Surface.Other:
            case Surface.Inference when !options.InferenceRequiresToken:
            case Surface.Metrics when options.OpenMetrics:
            case Surface.Dashboard when options.OpenDashboard:
                return AccessDecision.Allow;
            case Surface.Inference:
                return r.Identity is not null ? AccessDecision.Allow
                    : r.CredentialGiven ? Unknown(r)
                    : new AccessDecision(401, "authorization: inference requires a token (Fleet:Security:InferenceRequiresToken); send 'Authorization: Bearer <token>' with any role");
        }

        if (r.Identity is { } who)
        {
            return who.Role.Includes(r.Need.Role)
                ? AccessDecision.Allow
                : new AccessDecision(403, $"token '{who.Name}' has role {who.Role.Name()}; {r.Need.Action} needs {r.Need.Role.Name()}");
        }

        if (r.CredentialGiven)
        {
            return Unknown(r);
        }

        if (r.NoTokens)
        {
            return options.AllowAnonymousAdmin || r.FromLoopback
                ? AccessDecision.Allow
                : new AccessDecision(403, $"protected mode: no token is configured, so {What(r.Surface)} answers loopback clients only; " +
                    "configure Fleet:Security:Tokens, or add one from this machine with 'fleet tokens add NAME --role admin'");
        }

        return new AccessDecision(401, $"authorization: missing 'Authorization: Bearer <token>' ({r.Need.Action} needs a token with role {r.Need.Role.Name()}; the CLI sends FLEET_TOKEN)",
            Challenge: r.Surface == Surface.Dashboard);
    }

    private static AccessDecision Unknown(AccessRequest r) =>
        new(401, "authorization: the token is not one this server knows (mistyped, revoked, or from another cluster)", Challenge: r.Surface == Surface.Dashboard);

    private static string What(Surface surface) => surface switch
    {
        Surface.Admin => "the admin API",
        Surface.Metrics => "/metrics",
        Surface.Dashboard => "the dashboard",
        _ => "this endpoint",
    };
}

namespace Fleet.Server.Security;

/// <summary>
/// Settings under <c>Fleet:Security:</c>: who may call what, from where. The defaults are safe: with no token the
/// admin API, <c>/metrics</c> and the dashboard answer loopback clients only, and a non-loopback bind refuses to start.
/// </summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Fleet:Security";

    /// <summary>Tokens from settings (<c>Fleet:Security:Tokens:0:Name</c>, <c>:Role</c>, <c>:Secret</c> or <c>:SecretFile</c>). Default none.</summary>
    public List<TokenSetting> Tokens { get; set; } = [];

    /// <summary>Run with no token on a non-loopback address, every admin call open to anyone who can reach it (default false; logged as a warning).</summary>
    public bool AllowAnonymousAdmin { get; set; }

    /// <summary>
    /// A separate listener for the admin API, <c>/metrics</c> and the dashboard (e.g. <c>http://10.0.0.5:9090</c>; several
    /// separated by <c>;</c>; each with an explicit port). When set, those are served only there and inference only on the
    /// main URLs; health (<c>/v2/health/*</c>) on both. Default none: everything on the main URLs.
    /// </summary>
    public string? AdminUrls { get; set; }

    /// <summary>Inference (<c>/v2/...</c> but health) needs a token of any role (default false: open).</summary>
    public bool InferenceRequiresToken { get; set; }

    /// <summary><c>/metrics</c> open to anyone who can reach it, even when tokens are configured (default false: a read token).</summary>
    public bool OpenMetrics { get; set; }

    /// <summary>The Orleans dashboard open to anyone who can reach it (default false: a read token, as a bearer header or as the Basic-auth password).</summary>
    public bool OpenDashboard { get; set; }

    /// <summary>Admin API calls per minute per token (per client address without one), with a burst of as many; 0 turns it off (default 6000).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int AdminRequestsPerMinute { get; set; } = 6000;

    /// <summary>Admin API calls in flight on one silo at most; 0 turns it off (default 64).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int AdminConcurrency { get; set; } = 64;

    /// <summary>Inference requests per second per token (per client address without one); 0 (the default) turns it off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int InferenceRequestsPerSecond { get; set; }

    /// <summary>Inference requests in flight on one silo at most; 0 (the default) turns it off.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int InferenceConcurrency { get; set; }

    /// <summary>How often each silo re-reads the run-time tokens: how long a revocation takes to reach the other silos (default 5 s; immediate on the silo that made it).</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>One token from settings. Its secret is hashed when read and never kept in the clear.</summary>
public sealed class TokenSetting
{
    public string? Name { get; set; }

    /// <summary><c>read</c>, <c>ingest</c>, <c>operate</c> or <c>admin</c>.</summary>
    public string? Role { get; set; }

    /// <summary>The secret itself (at least 16 characters); or <see cref="SecretFile"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the secret (surrounding whitespace ignored), e.g. a mounted Kubernetes secret.</summary>
    public string? SecretFile { get; set; }
}

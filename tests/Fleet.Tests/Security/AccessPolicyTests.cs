using Fleet.Abstractions.Security;
using Fleet.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Fleet.Tests.Security;

public sealed class AccessPolicyTests
{
    private static readonly EndpointAccess Promote = new(AccessRole.Operate, "promote");
    private static readonly AccessIdentity Ci = new("ci", AccessRole.Read, "config");
    private static readonly AccessIdentity Ops = new("ops", AccessRole.Operate, "api");

    private static AccessRequest Request(Surface surface = Surface.Admin, AccessIdentity? who = null, bool given = false, bool loopback = true,
        bool onAdmin = false, bool separate = false, bool none = false, EndpointAccess? need = null) =>
        new(surface, need ?? Promote, who, given || who is not null, loopback, onAdmin, separate, none);

    [Theory]
    [InlineData("/v2/health/ready", "Health")]
    [InlineData("/v2/health/live", "Health")]
    [InlineData("/v2/models/wine/infer", "Inference")]
    [InlineData("/v2", "Inference")]
    [InlineData("/api/v1/models", "Admin")]
    [InlineData("/metrics", "Metrics")]
    [InlineData("/dashboard/index.html", "Dashboard")]
    [InlineData("/", "Other")]
    [InlineData("/v2x", "Other")]
    [InlineData("/api/v10", "Other")]
    public void Paths_map_to_their_surface(string path, string expected) =>
        Assert.Equal(expected, AccessPolicy.SurfaceOf(new PathString(path)).ToString());

    [Fact]
    public void An_endpoint_without_a_declared_need_reads_with_get_and_needs_admin_otherwise()
    {
        Assert.Equal(new EndpointAccess(AccessRole.Read, "reading"), AccessPolicy.NeedOf(null, "GET", "/x"));
        Assert.Equal(new EndpointAccess(AccessRole.Admin, "DELETE /api/v1/x"), AccessPolicy.NeedOf(null, "DELETE", "/api/v1/x"));
        Assert.Equal(Promote, AccessPolicy.NeedOf(Promote, "POST", "/x"));
    }

    [Fact]
    public void A_role_below_the_need_is_403_naming_token_role_action_and_need()
    {
        var decision = AccessPolicy.Decide(Request(who: Ci), new SecurityOptions());
        Assert.Equal(new AccessDecision(403, "token 'ci' has role read; promote needs operate"), decision);
        Assert.True(AccessPolicy.Decide(Request(who: Ops), new SecurityOptions()).Allowed);
        Assert.Equal(new AccessDecision(403, "token 'ops' has role operate; uploading needs admin"),
            AccessPolicy.Decide(Request(who: Ops, need: new EndpointAccess(AccessRole.Admin, "uploading")), new SecurityOptions()));
    }

    [Fact]
    public void Without_a_token_where_tokens_exist_is_401_even_from_loopback()
    {
        var missing = AccessPolicy.Decide(Request(loopback: true), new SecurityOptions());
        Assert.Equal(401, missing.Status);
        Assert.Equal("authorization: missing 'Authorization: Bearer <token>' (promote needs a token with role operate; the CLI sends FLEET_TOKEN)", missing.Error);
        var unknown = AccessPolicy.Decide(Request(given: true), new SecurityOptions());
        Assert.Equal(new AccessDecision(401, "authorization: the token is not one this server knows (mistyped, revoked, or from another cluster)"), unknown);
    }

    [Fact]
    public void Protected_mode_lets_loopback_in_and_refuses_everyone_else_unless_anonymous_is_allowed()
    {
        Assert.True(AccessPolicy.Decide(Request(none: true, loopback: true), new SecurityOptions()).Allowed);
        var remote = AccessPolicy.Decide(Request(none: true, loopback: false), new SecurityOptions());
        Assert.Equal(403, remote.Status);
        Assert.StartsWith("protected mode: no token is configured, so the admin API answers loopback clients only", remote.Error);
        Assert.Equal(403, AccessPolicy.Decide(Request(Surface.Metrics, none: true, loopback: false), new SecurityOptions()).Status);
        Assert.True(AccessPolicy.Decide(Request(none: true, loopback: false), new SecurityOptions { AllowAnonymousAdmin = true }).Allowed);
        // Anonymous is allowed only while no token exists: once one does, the token is needed.
        Assert.Equal(401, AccessPolicy.Decide(Request(loopback: false), new SecurityOptions { AllowAnonymousAdmin = true }).Status);
    }

    [Fact]
    public void Inference_and_health_are_open_unless_inference_requires_a_token()
    {
        Assert.True(AccessPolicy.Decide(Request(Surface.Inference, loopback: false), new SecurityOptions()).Allowed);
        Assert.True(AccessPolicy.Decide(Request(Surface.Health, loopback: false), new SecurityOptions { InferenceRequiresToken = true }).Allowed);
        var required = new SecurityOptions { InferenceRequiresToken = true };
        Assert.Equal(401, AccessPolicy.Decide(Request(Surface.Inference), required).Status);
        Assert.Equal(401, AccessPolicy.Decide(Request(Surface.Inference, given: true), required).Status);
        // Any role will do for inference.
        Assert.True(AccessPolicy.Decide(Request(Surface.Inference, who: Ci), required).Allowed);
    }

    [Fact]
    public void Metrics_and_dashboard_need_read_unless_opened_and_the_dashboard_asks_a_browser_for_credentials()
    {
        var read = new EndpointAccess(AccessRole.Read, "reading");
        Assert.Equal(401, AccessPolicy.Decide(Request(Surface.Metrics, need: read), new SecurityOptions()).Status);
        Assert.False(AccessPolicy.Decide(Request(Surface.Metrics, need: read), new SecurityOptions()).Challenge);
        Assert.True(AccessPolicy.Decide(Request(Surface.Metrics, need: read, who: Ci), new SecurityOptions()).Allowed);
        Assert.True(AccessPolicy.Decide(Request(Surface.Metrics, need: read), new SecurityOptions { OpenMetrics = true }).Allowed);
        Assert.True(AccessPolicy.Decide(Request(Surface.Dashboard, need: read), new SecurityOptions()).Challenge);
        Assert.True(AccessPolicy.Decide(Request(Surface.Dashboard, need: read), new SecurityOptions { OpenDashboard = true }).Allowed);
    }

    [Fact]
    public void With_an_admin_listener_each_surface_answers_only_on_its_own()
    {
        var o = new SecurityOptions();
        Assert.Equal(new AccessDecision(404, "the admin API is served on the admin listener (Fleet:Security:AdminUrls), not on this one"),
            AccessPolicy.Decide(Request(who: Ops, separate: true, onAdmin: false), o));
        Assert.Equal(404, AccessPolicy.Decide(Request(Surface.Metrics, who: Ops, separate: true, onAdmin: false), o).Status);
        Assert.True(AccessPolicy.Decide(Request(who: Ops, separate: true, onAdmin: true), o).Allowed);
        Assert.Equal(new AccessDecision(404, "inference is served on the main listener (--urls), not on the admin listener"),
            AccessPolicy.Decide(Request(Surface.Inference, separate: true, onAdmin: true), o));
        Assert.True(AccessPolicy.Decide(Request(Surface.Inference, separate: true, onAdmin: false), o).Allowed);
        Assert.True(AccessPolicy.Decide(Request(Surface.Health, separate: true, onAdmin: true), o).Allowed);
        // The listener is checked before the token: the admin API is not even there to refuse.
        Assert.Equal(404, AccessPolicy.Decide(Request(separate: true, onAdmin: false), o).Status);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.1.2.3:8080", false)]
    [InlineData("https://fleet.example:443", false)]
    public void Loopback_binds_are_told_from_reachable_ones(string url, bool loopback) =>
        Assert.Equal(loopback, ListenerPlan.IsLoopbackUrl(url));
}

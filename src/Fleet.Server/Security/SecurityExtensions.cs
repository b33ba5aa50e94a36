using Fleet.Server.Hosting;

namespace Fleet.Server.Security;

/// <summary>Access control: tokens from settings and from the cluster, the listener plan, the middleware and <c>/api/v1/tokens</c>.</summary>
internal static class SecurityExtensions
{
    /// <summary>The listeners (main URLs, else <paramref name="defaultUrl"/>, and <c>Fleet:Security:AdminUrls</c>) and the token services.</summary>
    public static ListenerPlan AddFleetSecurity(this WebApplicationBuilder builder, string defaultUrl)
    {
        var configured = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        var plan = new ListenerPlan(
            ListenerPlan.Split(string.IsNullOrEmpty(configured) ? defaultUrl : configured),
            ListenerPlan.Split(builder.Configuration[$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.AdminUrls)}"]));
        var services = builder.Services;
        services.AddSingleton(plan);
        services.AddFleetOptions<SecurityOptions, SecurityOptionsValidator>(SecurityOptions.SectionName);
        services.AddSingleton<AccessTokens>();
        return plan;
    }

    /// <summary>After the silo: the run-time tokens are read from it before Kestrel takes a request.</summary>
    public static IServiceCollection AddFleetTokenRefresh(this IServiceCollection services) =>
        services.AddHostedService<TokenRefreshService>();

    public static WebApplication UseFleetAccess(this WebApplication app)
    {
        app.UseRouting();
        app.UseMiddleware<AccessMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<Protocol.BodyLimitMiddleware>();
        return app;
    }
}

using Fleet.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Fleet.Server.Security;

/// <summary>Every token readable and well formed, admin URLs parseable with their own explicit ports, a positive refresh period.</summary>
internal sealed class SecurityOptionsValidator(IOptions<FleetOptions> fleet, ListenerPlan listeners) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions o)
    {
        var (_, problems) = ConfiguredTokens.Read(o, fleet.Value);
        var failures = problems.ToList();
        if (o.TokenRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add("Fleet:Security:TokenRefreshInterval must be positive");
        }

        var mainPorts = listeners.MainUrls.Select(u => ListenerPlan.TryParse(u, out var uri) ? uri.Port : -1).ToHashSet();
        foreach (var url in listeners.AdminUrls)
        {
            if (!ListenerPlan.TryParse(url, out var uri) || uri.Port <= 0 || !HasExplicitPort(url))
            {
                failures.Add($"Fleet:Security:AdminUrls: '{url}' is not an http(s) URL with an explicit port (e.g. http://127.0.0.1:9090)");
            }
            else if (mainPorts.Contains(uri.Port))
            {
                failures.Add($"Fleet:Security:AdminUrls: port {uri.Port} is a main listener's port too; the admin listener needs its own");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool HasExplicitPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }
}

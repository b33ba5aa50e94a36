using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Server.Hosting;

/// <summary>The HTTP base URL other silos forward requests to: <c>Fleet:Cluster:AdvertisedUrl</c>, else the first bound address.</summary>
internal static class AdvertisedUrl
{
    /// <summary>
    /// A wildcard bind (<c>http://0.0.0.0:5000</c>, <c>http://+:5000</c>, <c>[::]</c>) is reachable on
    /// <c>Fleet:Cluster:AdvertisedAddress</c>. Null before the server has bound (or when it serves no HTTP).
    /// </summary>
    public static string? Resolve(IServer server, FleetClusterOptions cluster)
    {
        if (!string.IsNullOrWhiteSpace(cluster.AdvertisedUrl))
        {
            return WithSlash(cluster.AdvertisedUrl);
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 1 : 0)
            .FirstOrDefault();
        return bound is null ? null : FromBound(bound, cluster.AdvertisedAddress);
    }

    public static string FromBound(string bound, string advertisedAddress)
    {
        var text = bound.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        var uri = new Uri(text);
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? advertisedAddress : uri.Host;
        return WithSlash(new UriBuilder(uri.Scheme, host, uri.Port).Uri.ToString());
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}

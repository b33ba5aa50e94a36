namespace Fleet.Server.Security;

/// <summary>
/// Where the server listens: the main URLs (inference, and everything else unless an admin listener is set) and the
/// optional admin URLs (<see cref="SecurityOptions.AdminUrls"/>). A connection's local port says which it came in on.
/// </summary>
internal sealed class ListenerPlan
{
    public ListenerPlan(IReadOnlyList<string> mainUrls, IReadOnlyList<string> adminUrls)
    {
        MainUrls = mainUrls;
        AdminUrls = adminUrls;
        AdminPorts = adminUrls.Select(u => TryParse(u, out var uri) ? uri.Port : -1).Where(p => p > 0).ToHashSet();
    }

    public IReadOnlyList<string> MainUrls { get; }

    public IReadOnlyList<string> AdminUrls { get; }

    public HashSet<int> AdminPorts { get; }

    public bool SeparateAdmin => AdminUrls.Count > 0;

    /// <summary>Every URL Kestrel binds, main first.</summary>
    public string Urls => string.Join(';', MainUrls.Concat(AdminUrls));

    /// <summary>The bound URLs a client off this machine could reach (wildcards, real addresses, host names).</summary>
    public IEnumerable<string> NonLoopback => MainUrls.Concat(AdminUrls).Where(u => !IsLoopbackUrl(u));

    public bool IsAdminConnection(HttpContext context) => SeparateAdmin && AdminPorts.Contains(context.Connection.LocalPort);

    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Parses a Kestrel URL, wildcard hosts (<c>*</c>, <c>+</c>) included.</summary>
    public static bool TryParse(string url, out Uri uri) =>
        Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal),
            UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https";

    public static bool IsLoopbackUrl(string url) =>
        TryParse(url, out var uri) && (uri.IsLoopback || uri.Host is "127.0.0.1" or "[::1]" or "localhost");
}

using System.Globalization;
using System.Text;

namespace Fleet.Grains.Alerting;

/// <summary>
/// An alert's identity: FNV-1a (64 bit) over its labels sorted by name, each name and value followed by a 0xff
/// separator (as Prometheus fingerprints label sets), written as 16 hex digits. Stable across processes and restarts.
/// </summary>
public static class Fingerprints
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static string Of(IReadOnlyDictionary<string, string> labels)
    {
        var hash = Offset;
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            hash = Add(hash, name);
            hash = Add(hash, value);
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static ulong Add(ulong hash, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * Prime;
        }

        return (hash ^ 0xff) * Prime;
    }
}

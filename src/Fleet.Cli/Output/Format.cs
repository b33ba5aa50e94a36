using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Cli;

/// <summary>Formatting helpers shared by the commands.</summary>
internal static class Format
{
    private static readonly JsonSerializerOptions _indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions _compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON re-serialized indented (what <c>--output json</c> prints).</summary>
    public static string Json(JsonNode? node) => node is null ? "null" : node.ToJsonString(_indented);

    /// <summary>The JSON on one line, without escaping quotes or non-ASCII text: <c>{"label":[0]}</c>.</summary>
    public static string CompactJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(_compact);

    /// <summary>
    /// A value for a table cell: numbers rounded to 6 significant digits (13.299999237 → 13.3),
    /// strings as-is, null as "", arrays and objects as compact JSON.
    /// </summary>
    public static string Num(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "";
            case JsonValue v when v.TryGetValue<string>(out var s):
                return s;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                if (v.TryGetValue<long>(out var l))
                {
                    return l.ToString(CultureInfo.InvariantCulture);
                }

                return v.TryGetValue<double>(out var d) ? Number(d) : CompactJson(node);
            default:
                return CompactJson(node);
        }
    }

    /// <summary>A field of an object as <see cref="Num(JsonNode?)"/>; "" when missing or not an object.</summary>
    public static string Num(JsonNode? node, string key) =>
        node is JsonObject obj && obj.TryGetPropertyValue(key, out var value) ? Num(value) : "";

    /// <summary>A number rounded to 6 significant digits, in invariant culture.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var rounded = double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A field as a double; null when missing or not a number (numeric strings are accepted).</summary>
    public static double? Double(JsonNode? node, string key)
    {
        if (node is JsonObject obj && obj[key] is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d))
            {
                return d;
            }

            if (v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>A number with at most two decimals (4, 0.25, 1234.5): rates, percentages, milliseconds.</summary>
    public static string Fixed2(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// An object of counts as <c>key=value key=value</c> in the server's order, leaving out zero counts;
    /// a bare number as itself; "none" when missing, null, empty or all zero.
    /// </summary>
    public static string Counts(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var parts = obj
                    .Where(p => p.Value is not null && !IsZero(p.Value))
                    .Select(p => $"{p.Key}={Num(p.Value)}")
                    .ToList();
                return parts.Count == 0 ? "none" : string.Join(' ', parts);
            case JsonArray array:
                return array.Count == 0 ? "none" : CompactJson(array);
            case JsonValue value:
                var text = Num(value);
                return text.Length == 0 ? "none" : text;
            default:
                return "none";
        }
    }

    /// <summary>An object as <c>key=value</c> pairs (numbers rounded, nulls as "-"); "" when not an object.</summary>
    public static string Pairs(JsonNode? node) => node is JsonObject obj
        ? string.Join(' ', obj.Select(p => $"{p.Key}={OrDash(Num(p.Value))}"))
        : "";

    private static bool IsZero(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d == 0;

    /// <summary>
    /// A field of a JSON object as text: strings as-is, numbers and booleans in JSON form, and
    /// missing fields, nulls and non-objects as "". Tolerates any shape.
    /// </summary>
    public static string Str(JsonNode? node, string key)
    {
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(key, out var value) || value is null)
        {
            return "";
        }

        return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
    }

    /// <summary>A field as a string, or null when missing or JSON null.</summary>
    public static string? StrOrNull(JsonNode? node, string key)
    {
        var s = Str(node, key);
        return s.Length == 0 ? null : s;
    }

    /// <summary>A field as a JSON array; empty when missing or not an array.</summary>
    public static IReadOnlyList<JsonNode?> Arr(JsonNode? node, string key) =>
        node is JsonObject obj && obj[key] is JsonArray array ? [.. array] : [];

    /// <summary>A field as an integer; null when missing or not a number.</summary>
    public static long? Long(JsonNode? node, string key)
    {
        if (node is JsonObject obj && obj[key] is JsonValue v)
        {
            if (v.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (v.TryGetValue<double>(out var d))
            {
                return (long)d;
            }

            if (v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out l))
            {
                return l;
            }
        }

        return null;
    }

    /// <summary>Empty text shown as "-" in tables and messages.</summary>
    public static string OrDash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;

    /// <summary>The first 12 characters of a hash.</summary>
    public static string ShortHash(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>A byte count for people: 512 B, 1.5 KB, 23.4 MB.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>An ISO 8601 timestamp shortened to UTC seconds (2025-01-31T12:00:00Z); other text unchanged.</summary>
    public static string Time(string value)
    {
        if (value.Length > 0 && DateTimeOffset.TryParse(
                value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return value;
    }

    /// <summary>A shape as [1,3,-1].</summary>
    public static string Shape(JsonNode? shape) => shape is JsonArray array
        ? "[" + string.Join(',', array.Select(d => d?.ToJsonString() ?? "?")) + "]"
        : "[]";
}

using System.Text.RegularExpressions;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Alertmanager's matcher syntax: <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c>, <c>name!~regex</c>
/// (a regex is anchored at both ends, as there). A label that is absent reads as the empty string.
/// </summary>
public static class SilenceMatchers
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public static bool Matches(IEnumerable<string> matchers, IReadOnlyDictionary<string, string> labels) =>
        matchers.All(m => Matches(Parse(m), labels));

    /// <summary>Parses one matcher; throws <see cref="FormatException"/> naming the matcher and the problem.</summary>
    public static (string Name, string Op, string Value) Parse(string matcher)
    {
        var text = matcher.Trim();
        foreach (var op in new[] { "!=", "=~", "!~", "=" })
        {
            var at = text.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var name = text[..at].Trim();
            var value = text[(at + op.Length)..].Trim().Trim('"');
            if (!Regex.IsMatch(name, "^[a-zA-Z_][a-zA-Z0-9_]*$"))
            {
                throw new FormatException($"matcher '{matcher}': '{name}' is not a label name");
            }

            if (op is "=~" or "!~")
            {
                try
                {
                    _ = new Regex($"^(?:{value})$", RegexOptions.None, RegexTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw new FormatException($"matcher '{matcher}': '{value}' is not a regular expression ({ex.Message})");
                }
            }

            return (name, op, value);
        }

        throw new FormatException($"matcher '{matcher}': expected name=value, name!=value, name=~regex or name!~regex");
    }

    private static bool Matches((string Name, string Op, string Value) m, IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.GetValueOrDefault(m.Name, "");
        return m.Op switch
        {
            "=" => actual == m.Value,
            "!=" => actual != m.Value,
            "=~" => Regex.IsMatch(actual, $"^(?:{m.Value})$", RegexOptions.None, RegexTimeout),
            _ => !Regex.IsMatch(actual, $"^(?:{m.Value})$", RegexOptions.None, RegexTimeout),
        };
    }
}

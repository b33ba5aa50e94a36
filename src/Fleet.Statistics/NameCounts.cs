namespace Fleet.Statistics;

/// <summary>Counts by name with a bound on distinct names: beyond it, counts go to <see cref="ErrorKinds.Other"/>.</summary>
internal static class NameCounts
{
    /// <summary>Adds to <paramref name="name"/>, or to "other" when <paramref name="maxNames"/> other names are taken. No allocation once a name is in.</summary>
    public static void Add(Dictionary<string, long> counts, string? name, long count, int maxNames)
    {
        name ??= ErrorKinds.Other;
        if (counts.TryGetValue(name, out var current))
        {
            counts[name] = current + count;
            return;
        }

        var named = counts.Count - (counts.ContainsKey(ErrorKinds.Other) ? 1 : 0);
        if (named >= maxNames && name != ErrorKinds.Other)
            name = ErrorKinds.Other;
        counts[name] = counts.GetValueOrDefault(name) + count;
    }

    /// <summary>
    /// A bounded copy: when merged inputs bring more than <paramref name="maxNames"/> names, the largest
    /// counts keep theirs (ties by name) and the rest fold into "other".
    /// </summary>
    public static Dictionary<string, long> Bounded(Dictionary<string, long> counts, int maxNames)
    {
        var named = counts.Count - (counts.ContainsKey(ErrorKinds.Other) ? 1 : 0);
        if (named <= maxNames)
            return counts;

        var result = new Dictionary<string, long>();
        long other = counts.GetValueOrDefault(ErrorKinds.Other);
        var kept = 0;
        foreach (var (name, count) in counts
            .Where(p => p.Key != ErrorKinds.Other)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            if (kept++ < maxNames)
                result[name] = count;
            else
                other += count;
        }

        result[ErrorKinds.Other] = other;
        return result;
    }
}

namespace Fleet.Guardrails;

/// <summary>
/// Collects violations during one check. A struct whose lists are created on the first violation, so a clean
/// check allocates nothing. Lists the first <see cref="Rules.MaxListed"/>; counts all, per rule and per (source, rule).
/// </summary>
internal struct ViolationLog
{
    private List<Violation>? _listed;
    private Dictionary<string, int>? _counts;
    private List<Group>? _groups;

    public int Total { get; private set; }

    /// <summary>Whether the next violation is listed; build its <see cref="Violation"/> (and detail text) only then.</summary>
    public readonly bool Listing => Total < Rules.MaxListed;

    public readonly IReadOnlyList<Group> Groups => (IReadOnlyList<Group>?)_groups ?? [];

    public void Add(string source, string rule, int row, Violation? listed)
    {
        if (listed is not null)
        {
            (_listed ??= []).Add(listed);
        }

        Total++;
        _counts ??= [];
        _counts[rule] = _counts.GetValueOrDefault(rule) + 1;
        _groups ??= [];
        foreach (var group in _groups)
        {
            if (group.Rule == rule && group.Source == source)
            {
                group.Count++;
                return;
            }
        }

        _groups.Add(new Group(source, rule, row));
    }

    public readonly Violation[] Listed() => _listed?.ToArray() ?? [];

    public readonly IReadOnlyDictionary<string, int> Counts() => (IReadOnlyDictionary<string, int>?)_counts ?? Empty;

    public static IReadOnlyDictionary<string, int> Empty { get; } = new Dictionary<string, int>();

    /// <summary>Violations of one rule in one input or output, for summaries.</summary>
    internal sealed class Group(string source, string rule, int firstRow)
    {
        public string Source { get; } = source;

        public string Rule { get; } = rule;

        public int FirstRow { get; } = firstRow;

        public int Count { get; set; } = 1;
    }
}

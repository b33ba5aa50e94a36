namespace Fleet.Statistics;

/// <summary>
/// Merges any number of <see cref="StatsSnapshot"/>s in one pass (a window query merges up to 84), so
/// sketches are rebuilt once rather than once per pair.
/// </summary>
internal sealed class SnapshotAccumulator
{
    private readonly Dictionary<string, long> _errors = [];
    private readonly Dictionary<string, long> _fallbacks = [];
    private readonly Dictionary<string, long> _violations = [];
    private readonly SketchMerger _latency = new();
    private readonly SketchMerger _confidence = new();
    private readonly SketchMerger _values = new();
    private readonly List<string> _featureNames = [];
    private readonly Dictionary<string, int> _featureIndex = [];
    private readonly List<SketchMerger> _features = [];
    private readonly List<long> _missing = [];
    private readonly Dictionary<string, int> _occurrences = [];
    private long[] _classCounts = [];
    private DateTimeOffset _start = DateTimeOffset.MaxValue;
    private DateTimeOffset _end = DateTimeOffset.MinValue;
    private long _requests;
    private long _rows;
    private long _outliers;

    public bool IsEmpty => _start == DateTimeOffset.MaxValue;

    public void Add(StatsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Start < _start)
            _start = snapshot.Start;
        if (snapshot.End > _end)
            _end = snapshot.End;
        _requests += snapshot.Requests;
        _rows += snapshot.Rows;
        _outliers += snapshot.Outliers;
        AddCounts(_errors, snapshot.Errors);
        AddCounts(_fallbacks, snapshot.Fallbacks);
        AddCounts(_violations, snapshot.Violations);
        _latency.Add(snapshot.Latency);
        _confidence.Add(snapshot.Confidence);
        _values.Add(snapshot.Values);
        AddFeatures(snapshot);

        if (snapshot.ClassCounts.Length > _classCounts.Length)
            Array.Resize(ref _classCounts, snapshot.ClassCounts.Length);
        for (var i = 0; i < snapshot.ClassCounts.Length; i++)
            _classCounts[i] += snapshot.ClassCounts[i];
    }

    /// <summary>The merged snapshot; <see cref="StatsSnapshot.Empty"/> over [now, now] when nothing was added.</summary>
    public StatsSnapshot ToSnapshot(DateTimeOffset? whenEmpty = null)
    {
        if (IsEmpty)
        {
            var at = whenEmpty ?? DateTimeOffset.UnixEpoch;
            return StatsSnapshot.Empty(at, at);
        }

        return new StatsSnapshot(
            _start,
            _end,
            _requests,
            _rows,
            NameCounts.Bounded(new Dictionary<string, long>(_errors), StatsOptions.MaxNames),
            NameCounts.Bounded(new Dictionary<string, long>(_fallbacks), StatsOptions.MaxNames),
            NameCounts.Bounded(new Dictionary<string, long>(_violations), StatsOptions.MaxNames),
            _outliers,
            _latency.Result(),
            [.. _featureNames],
            [.. _features.Select(f => f.Result())],
            [.. _missing],
            [.. _classCounts],
            _confidence.Result(),
            _values.Result());
    }

    private static void AddCounts(Dictionary<string, long> target, IReadOnlyDictionary<string, long> source)
    {
        foreach (var (name, count) in source)
            target[name] = target.GetValueOrDefault(name) + count;
    }

    private void AddFeatures(StatsSnapshot snapshot)
    {
        if (snapshot.Features.Length != snapshot.FeatureNames.Length || snapshot.FeatureMissing.Length != snapshot.FeatureNames.Length)
            throw new ArgumentException("snapshot feature arrays differ in length from its feature names", nameof(snapshot));

        // Match by name; a repeated name is told apart by its occurrence number.
        _occurrences.Clear();
        for (var i = 0; i < snapshot.FeatureNames.Length; i++)
        {
            var name = snapshot.FeatureNames[i];
            var occurrence = _occurrences.GetValueOrDefault(name);
            _occurrences[name] = occurrence + 1;
            var key = occurrence == 0 ? name : $"{name}\0{occurrence}";
            if (!_featureIndex.TryGetValue(key, out var index))
            {
                index = _featureNames.Count;
                _featureIndex[key] = index;
                _featureNames.Add(name);
                _features.Add(new SketchMerger());
                _missing.Add(0);
            }

            _features[index].Add(snapshot.Features[i]);
            _missing[index] += snapshot.FeatureMissing[i];
        }
    }
}

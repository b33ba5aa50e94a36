using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The rows a monitor holds in memory, per version (after the grain moves they refill): the live window, the rows
/// collected to become the reference while none was uploaded, how many rows arrived in all and when last, and how
/// many rows the last detector run judged. Pure: the grain persists the references it makes.
/// </summary>
internal sealed class RowIntake
{
    private readonly Dictionary<string, LiveWindow> _windows = [];

    /// <summary>When each version last received rows: a baseline older than the quality window is not compared with.</summary>
    private readonly Dictionary<string, DateTimeOffset> _lastRowsAt = [];

    /// <summary>Rows each version received in all, reference collection included: what counts a confirmation check as fresh.</summary>
    private readonly Dictionary<string, long> _received = [];

    private readonly Dictionary<string, List<MonitorRow>> _pendingReference = [];
    private readonly Dictionary<string, long> _judgedTotals = [];

    /// <summary>
    /// Takes one silo's rows of a version. Without a reference, the first <see cref="MonitorSettings.ReferenceRows"/>
    /// rows become it (returned, to be stored; the API says so) and the rest go to the window.
    /// </summary>
    public ReferenceProfile? Add(VersionRows batch, IReadOnlyDictionary<string, ReferenceProfile> references, MonitorSettings settings, DateTimeOffset now)
    {
        _lastRowsAt[batch.Version] = now;
        _received[batch.Version] = Received(batch.Version) + batch.Rows.Length;
        IEnumerable<MonitorRow> rows = batch.Rows;
        ReferenceProfile? made = null;
        if (!references.ContainsKey(batch.Version))
        {
            var pending = _pendingReference.TryGetValue(batch.Version, out var list) ? list : _pendingReference[batch.Version] = [];
            var taken = Math.Min(batch.Rows.Length, settings.ReferenceRows - pending.Count);
            pending.AddRange(batch.Rows.Take(taken));
            rows = batch.Rows.Skip(taken);
            if (pending.Count < settings.ReferenceRows)
            {
                return null;
            }

            made = LiveReference(batch.Version, batch.FeatureNames, pending, now);
            _pendingReference.Remove(batch.Version);
        }

        var window = _windows.TryGetValue(batch.Version, out var w) ? w : _windows[batch.Version] = new LiveWindow(Capacity(settings));
        foreach (var row in rows)
        {
            window.Add(row, batch.FeatureNames);
        }

        return made;
    }

    /// <summary>Every window at the capacity <paramref name="settings"/> ask for (its drift window), keeping the newest rows.</summary>
    public void Resize(MonitorSettings settings)
    {
        foreach (var version in _windows.Keys.ToArray())
        {
            if (_windows[version].Capacity != Capacity(settings))
            {
                _windows[version] = _windows[version].Resize(Capacity(settings));
            }
        }
    }

    public LiveWindow? Window(string version) => _windows.GetValueOrDefault(version);

    public long Received(string version) => _received.GetValueOrDefault(version);

    public DateTimeOffset? LastRowsAt(string version) => _lastRowsAt.TryGetValue(version, out var at) ? at : null;

    public int Pending(string version) => _pendingReference.TryGetValue(version, out var p) ? p.Count : 0;

    /// <summary>A reference was uploaded: the rows collected to make one are not needed.</summary>
    public void DropPending(string version) => _pendingReference.Remove(version);

    /// <summary>A version's last rows: its window, or while its reference is still being collected from live traffic, those rows.</summary>
    public List<MonitorRow> Recent(string version, int count) =>
        _windows.TryGetValue(version, out var window) && window.Count > 0 ? window.Last(count)
        : _pendingReference.TryGetValue(version, out var pending) ? pending.TakeLast(count).ToList()
        : [];

    /// <summary>
    /// The versions a detector run judges: the live one always; another (asked for by id, a canary) while it receives
    /// rows, so its old window is not judged again and again once its traffic stops.
    /// </summary>
    public string[] ToJudge(string? liveVersion) => _windows
        .Where(kv => kv.Value.Total != _judgedTotals.GetValueOrDefault(kv.Key)).Select(kv => kv.Key)
        .Concat(liveVersion is null ? [] : [liveVersion]).Distinct(StringComparer.Ordinal).ToArray();

    public void Judged(string version) => _judgedTotals[version] = _windows.TryGetValue(version, out var judged) ? judged.Total : 0;

    private static int Capacity(MonitorSettings settings) => Math.Max(settings.DriftWindow, 1);

    private static ReferenceProfile LiveReference(string version, string[] featureNames, List<MonitorRow> rows, DateTimeOffset now)
    {
        var columns = new double[featureNames.Length][];
        for (var c = 0; c < featureNames.Length; c++)
        {
            columns[c] = rows.Select(r => c < r.Features.Length ? r.Features[c] : double.NaN).ToArray();
        }

        var predicted = rows.Select(r => r.Predicted).ToArray();
        var classifier = predicted.Any(p => p >= 0);
        var output = rows.Select(r => r.Output).ToArray();
        return new ReferenceProfile(version, "live", now, featureNames,
            columns.Select(c => FeatureKinds.Infer(c)).ToArray(), columns, output,
            classifier ? FeatureKinds.Infer(output) : FeatureKind.Numeric,
            predicted, rows.Select(r => r.Confidence).ToArray(), null, classifier ? predicted.Max() + 1 : 0);
    }
}

using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The most recent rows of one version, merged from every silo in arrival order (a ring). <see cref="Total"/>
/// counts every row ever added, so the sequential detector can take only the rows it has not seen.
/// </summary>
internal sealed class LiveWindow(int capacity)
{
    private readonly MonitorRow[] _rows = new MonitorRow[capacity];
    private int _next;

    public int Capacity => _rows.Length;

    public int Count { get; private set; }

    public long Total { get; private set; }

    public string[] FeatureNames { get; private set; } = [];

    public void Add(MonitorRow row, string[] featureNames)
    {
        FeatureNames = featureNames;
        _rows[_next] = row;
        _next = (_next + 1) % _rows.Length;
        Count = Math.Min(Count + 1, _rows.Length);
        Total++;
    }

    /// <summary>The newest <paramref name="count"/> rows (or fewer), oldest first.</summary>
    public List<MonitorRow> Last(long count)
    {
        var n = (int)Math.Min(count, Count);
        var result = new List<MonitorRow>(n);
        for (var i = n; i > 0; i--)
        {
            result.Add(_rows[((_next - i) % _rows.Length + _rows.Length) % _rows.Length]);
        }

        return result;
    }

    /// <summary>A window with another capacity holding the newest rows of this one.</summary>
    public LiveWindow Resize(int capacity)
    {
        var resized = new LiveWindow(capacity);
        foreach (var row in Last(capacity))
        {
            resized.Add(row, FeatureNames);
        }

        resized.Total = Total;
        return resized;
    }
}

namespace Fleet.Monitoring.Online;

/// <summary>
/// The running maximum of one simulated path's combined statistic, kept only where it rises: record
/// values (strictly increasing) and the sample (1-based) at which each was set. The path never depends on
/// the threshold before its first alarm, so for any threshold h the run length is the time of the first
/// record above h, or censored at <c>length</c> when there is none.
/// </summary>
internal sealed class RecordPath
{
    private int[] _times = new int[64];
    private double[] _values = new double[64];
    private int _count;

    public double Maximum => _count == 0 ? 0 : _values[_count - 1];

    public ReadOnlySpan<double> Values => _values.AsSpan(0, _count);

    public void Add(int time, double value)
    {
        if (_count == _times.Length)
        {
            Array.Resize(ref _times, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _times[_count] = time;
        _values[_count] = value;
        _count++;
    }

    /// <summary>The first sample whose statistic exceeds <paramref name="threshold"/>; −1 if none did.</summary>
    public int RunLength(double threshold)
    {
        int lo = 0, hi = _count; // first index with value > threshold lies in [lo, hi]
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_values[mid] > threshold)
                hi = mid;
            else
                lo = mid + 1;
        }

        return lo < _count ? _times[lo] : -1;
    }
}

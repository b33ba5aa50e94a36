namespace Fleet.Statistics;

/// <summary>
/// Counts per bucket index over one contiguous range at most <c>maxBuckets</c> wide (DDSketch's
/// "collapsing lowest" dense store): an index that would widen the range past the cap is folded into
/// the lowest bucket still kept, so only the smallest magnitudes lose resolution. The result does not
/// depend on insertion order: every index below <c>highest - maxBuckets + 1</c> ends up in that bucket.
/// Not thread-safe. The backing array only grows (to at most <c>maxBuckets</c>), so steady-state adds
/// do not allocate.
/// </summary>
internal sealed class DenseBucketStore
{
    private const int InitialCapacity = 32;

    private readonly int _maxBuckets;
    private long[] _counts = [];
    private int _offset; // the bucket index held by _counts[0]
    private int _minIndex;
    private int _maxIndex;
    private bool _hasData;
    private long _total;

    public DenseBucketStore(int maxBuckets) => _maxBuckets = maxBuckets;

    public long Total => _total;

    public bool IsEmpty => !_hasData;

    /// <summary>The lowest bucket index in use; meaningless when empty.</summary>
    public int MinIndex => _minIndex;

    public int BucketCount => _hasData ? _maxIndex - _minIndex + 1 : 0;

    /// <summary>Bytes held by the backing array (its capacity, not just the range in use).</summary>
    public int AllocatedBytes => _counts.Length * sizeof(long);

    /// <summary>True once any index was folded into the lowest bucket since the last clear.</summary>
    public bool HasCollapsed { get; private set; }

    /// <summary>Counts from <see cref="MinIndex"/> upwards, one per bucket.</summary>
    public ReadOnlySpan<long> Counts => _hasData ? _counts.AsSpan(_minIndex - _offset, BucketCount) : [];

    public void Add(int index, long count)
    {
        if (!_hasData)
        {
            EnsureCovers(index, index);
            _minIndex = _maxIndex = index;
            _hasData = true;
        }
        else if (index < _minIndex)
        {
            var lowest = _maxIndex - _maxBuckets + 1;
            if (index < lowest)
            {
                index = lowest;
                HasCollapsed = true;
            }

            if (index < _minIndex)
            {
                EnsureCovers(index, _maxIndex);
                _minIndex = index;
            }
        }
        else if (index > _maxIndex)
        {
            var lowest = index - _maxBuckets + 1;
            if (lowest > _minIndex)
                CollapseBelow(lowest, index);
            else
                EnsureCovers(_minIndex, index);
            _maxIndex = index;
        }

        _counts[index - _offset] += count;
        _total += count;
    }

    /// <summary>Adds every bucket of <paramref name="counts"/>, whose first element is bucket <paramref name="minIndex"/>.</summary>
    public void AddRange(int minIndex, ReadOnlySpan<long> counts)
    {
        // Trim empty ends, so that the range below is the one actually hit.
        var first = counts.IndexOfAnyExcept(0L);
        if (first < 0)
            return;
        counts = counts[first..(counts.LastIndexOfAnyExcept(0L) + 1)];
        minIndex += first;

        // The same end state as adding one bucket at a time: whatever lies below the final top's floor
        // (incoming or already here) ends up in the floor bucket.
        var top = minIndex + counts.Length - 1;
        if (_hasData && _maxIndex > top)
            top = _maxIndex;
        var floor = top - _maxBuckets + 1;

        long folded = 0;
        if (minIndex < floor)
        {
            var below = Math.Min(floor - minIndex, counts.Length);
            foreach (var count in counts[..below])
                folded += count;
            counts = counts[below..];
            minIndex = floor;
            HasCollapsed = true;
        }

        if (_hasData && top > _maxIndex)
        {
            if (floor > _minIndex)
                CollapseBelow(floor, top);
            else
                EnsureCovers(_minIndex, top);
            _maxIndex = top;
        }

        var lowest = folded != 0 ? floor : minIndex;
        if (!_hasData)
        {
            EnsureCovers(lowest, top);
            _minIndex = lowest;
            _maxIndex = top;
            _hasData = true;
        }
        else if (lowest < _minIndex)
        {
            EnsureCovers(lowest, _maxIndex);
            _minIndex = lowest;
        }

        var target = _counts.AsSpan(minIndex - _offset, counts.Length);
        for (var i = 0; i < counts.Length; i++)
        {
            target[i] += counts[i];
            _total += counts[i];
        }

        if (folded != 0)
        {
            _counts[floor - _offset] += folded;
            _total += folded;
        }
    }

    public void Clear()
    {
        if (_hasData)
            Array.Clear(_counts, _minIndex - _offset, BucketCount);
        _hasData = false;
        _total = 0;
        HasCollapsed = false;
    }

    /// <summary>Folds every bucket below <paramref name="lowest"/> into it, before the range grows to <paramref name="newMax"/>.</summary>
    private void CollapseBelow(int lowest, int newMax)
    {
        long folded = 0;
        var end = Math.Min(_maxIndex, lowest - 1);
        for (var i = _minIndex; i <= end; i++)
        {
            folded += _counts[i - _offset];
            _counts[i - _offset] = 0;
        }

        if (_maxIndex < lowest)
        {
            // Everything folded: the old buckets are all zero now, so the store can be re-laid out from scratch.
            _hasData = false;
            EnsureCovers(lowest, newMax);
            _hasData = true;
        }
        else
        {
            _minIndex = lowest;
            EnsureCovers(lowest, newMax);
        }

        _minIndex = lowest;
        _counts[lowest - _offset] += folded;
        HasCollapsed = true;
    }

    /// <summary>Makes the array hold indices [lo, hi] (which contain the current range), moving the data if needed.</summary>
    private void EnsureCovers(int lo, int hi)
    {
        if (_counts.Length > 0 && lo >= _offset && hi < _offset + _counts.Length)
            return;

        var needed = hi - lo + 1;
        var target = _counts;
        if (needed > _counts.Length)
        {
            var length = Math.Min(Math.Max(Math.Max(needed, _counts.Length * 2), InitialCapacity), _maxBuckets);
            target = new long[length];
        }

        // Centre the range so that growth in either direction usually fits without another move.
        var newOffset = lo - ((target.Length - needed) / 2);
        if (_hasData)
        {
            var length = _maxIndex - _minIndex + 1;
            var from = _minIndex - _offset;
            var to = _minIndex - newOffset;
            Array.Copy(_counts, from, target, to, length);
            if (ReferenceEquals(target, _counts))
            {
                // Moved within the same array: zero what lies outside the data's new position.
                Array.Clear(target, 0, to);
                Array.Clear(target, to + length, target.Length - to - length);
            }
        }

        _counts = target;
        _offset = newOffset;
    }
}

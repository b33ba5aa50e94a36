namespace Fleet.Statistics;

/// <summary>
/// The grain-side aggregate of one version: 60 one-minute slots and 24 one-hour slots (UTC-aligned).
/// A snapshot goes to the minute slot of its interval end (floor to the minute). When the newest minute
/// seen moves on, minute slots older than the last 60 minutes are merged into their hour slot, and hour
/// slots whose last minute is more than 24 h old are dropped. Time comes only from arguments.
/// Not thread-safe: the owning grain is single-threaded.
/// <para>
/// Granularity of <see cref="Query"/>: a window of w ≤ 60 minutes (rounded up to whole minutes) covers
/// the w most recent minute slots including the current, partial one (so "5m" is 4 to 5 minutes of
/// data); a longer window is rounded up to whole hours h ≤ 24 and covers the minute slots plus the hour
/// slots back to and including the hour that holds now − h (so "24h" is 24 h to 24 h 59 min of data).
/// </para>
/// </summary>
public sealed class StatsWindows
{
    public const int MinuteSlotCount = 60;
    public const int HourSlotCount = 24;

    private const long MinutesPerHour = 60;
    private static readonly TimeSpan LongestWindow = TimeSpan.FromHours(HourSlotCount);

    // Slot keys are whole minutes (or hours) since 0001-01-01 UTC; a slot's key sits beside its snapshot.
    private readonly StatsSnapshot?[] _minutes = new StatsSnapshot?[MinuteSlotCount];
    private readonly long[] _minuteKeys = new long[MinuteSlotCount];
    private readonly StatsSnapshot?[] _hours = new StatsSnapshot?[HourSlotCount];
    private readonly long[] _hourKeys = new long[HourSlotCount];
    private long _latestMinute = long.MinValue;

    /// <summary>Snapshots dropped on arrival because their minute was already past the 24 h retention.</summary>
    public long DroppedSnapshots { get; private set; }

    public int MinuteSlotsInUse => _minutes.Count(s => s is not null);

    public int HourSlotsInUse => _hours.Count(s => s is not null);

    /// <summary>Buckets held by all slots' sketches.</summary>
    public long BucketCount => Slots().Sum(s => (long)s.Snapshot.BucketCount);

    /// <summary>Approximate heap bytes of all slots.</summary>
    public long EstimatedBytes => 512 + Slots().Sum(s => s.Snapshot.EstimatedBytes);

    /// <summary>Merges <paramref name="snapshot"/> into the slot of its interval end, compacting older slots first.</summary>
    public void Add(StatsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var minute = MinuteOf(snapshot.End);
        AdvanceTo(minute);
        if (minute > _latestMinute - MinuteSlotCount)
            MergeInto(_minutes, _minuteKeys, minute, snapshot);
        else if (!TryMergeIntoHour(minute, snapshot))
            DroppedSnapshots++;
    }

    /// <summary>Compacts and drops slots as of <paramref name="now"/> (Add does this by itself; call before persisting).</summary>
    public void Advance(DateTimeOffset now) => AdvanceTo(MinuteOf(now));

    /// <summary>
    /// All data in the slots covering [now − window, now] (granularity in the class summary), with
    /// <see cref="StatsSnapshot.Start"/> the earliest included interval start and <see cref="StatsSnapshot.End"/>
    /// at least <paramref name="now"/>. Windows over 24 h are answered for 24 h. Does not modify the windows.
    /// </summary>
    public StatsSnapshot Query(TimeSpan window, DateTimeOffset now)
    {
        if (window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive");
        if (window > LongestWindow)
            window = LongestWindow;

        var current = MinuteOf(now);
        long firstMinute;
        long firstHour;
        if (window <= TimeSpan.FromMinutes(MinuteSlotCount))
        {
            var minutes = CeilDiv(window.Ticks, TimeSpan.TicksPerMinute);
            firstMinute = current - minutes + 1;
            firstHour = long.MaxValue; // hour slots only hold minutes older than any minute window
        }
        else
        {
            var hours = CeilDiv(window.Ticks, TimeSpan.TicksPerHour);
            firstHour = FloorDiv(current - (hours * MinutesPerHour) + 1, MinutesPerHour);
            firstMinute = firstHour * MinutesPerHour;
        }

        var accumulator = new SnapshotAccumulator();
        foreach (var (key, snapshot) in Ordered(_hours, _hourKeys))
        {
            if (key >= firstHour)
                accumulator.Add(snapshot);
        }

        foreach (var (key, snapshot) in Ordered(_minutes, _minuteKeys))
        {
            if (key >= firstMinute)
                accumulator.Add(snapshot);
        }

        var merged = accumulator.ToSnapshot(now);
        return merged.End >= now ? merged : merged with { End = now };
    }

    /// <summary>The persistable form: every slot in use, oldest first.</summary>
    public StatsWindowsState ToState() => new(
        _latestMinute,
        [.. Ordered(_minutes, _minuteKeys).Select(s => new StatsWindowSlot(s.Key, s.Snapshot))],
        [.. Ordered(_hours, _hourKeys).Select(s => new StatsWindowSlot(s.Key, s.Snapshot))],
        DroppedSnapshots);

    public static StatsWindows FromState(StatsWindowsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var windows = new StatsWindows { _latestMinute = state.LatestMinute, DroppedSnapshots = state.DroppedSnapshots };
        foreach (var slot in state.Hours)
            MergeInto(windows._hours, windows._hourKeys, slot.Key, slot.Snapshot);
        foreach (var slot in state.Minutes)
            MergeInto(windows._minutes, windows._minuteKeys, slot.Key, slot.Snapshot);
        return windows;
    }

    internal static long MinuteOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMinute;

    private void AdvanceTo(long minute)
    {
        if (minute <= _latestMinute)
            return;
        _latestMinute = minute;

        var oldestHour = OldestRetainedHour();
        for (var i = 0; i < HourSlotCount; i++)
        {
            if (_hours[i] is not null && _hourKeys[i] < oldestHour)
                _hours[i] = null;
        }

        for (var i = 0; i < MinuteSlotCount; i++)
        {
            if (_minutes[i] is { } snapshot && _minuteKeys[i] <= minute - MinuteSlotCount)
            {
                _minutes[i] = null;
                TryMergeIntoHour(_minuteKeys[i], snapshot);
            }
        }
    }

    /// <summary>The oldest hour still holding a minute within 24 h of the newest minute.</summary>
    private long OldestRetainedHour() => FloorDiv(_latestMinute - (HourSlotCount * MinutesPerHour) + 1, MinutesPerHour);

    private bool TryMergeIntoHour(long minute, StatsSnapshot snapshot)
    {
        var hour = FloorDiv(minute, MinutesPerHour);
        if (hour < OldestRetainedHour())
            return false;
        MergeInto(_hours, _hourKeys, hour, snapshot);
        return true;
    }

    /// <summary>Merges into the ring slot of <paramref name="key"/>; a slot holding another (older) key is replaced.</summary>
    private static void MergeInto(StatsSnapshot?[] slots, long[] keys, long key, StatsSnapshot snapshot)
    {
        var i = (int)(((key % slots.Length) + slots.Length) % slots.Length);
        if (slots[i] is { } existing && keys[i] == key)
        {
            slots[i] = StatsSnapshot.Merge(existing, snapshot);
        }
        else
        {
            slots[i] = snapshot;
            keys[i] = key;
        }
    }

    private static IEnumerable<(long Key, StatsSnapshot Snapshot)> Ordered(StatsSnapshot?[] slots, long[] keys) =>
        Enumerable.Range(0, slots.Length)
            .Where(i => slots[i] is not null)
            .Select(i => (keys[i], slots[i]!))
            .OrderBy(s => s.Item1);

    private IEnumerable<(long Key, StatsSnapshot Snapshot)> Slots() => Ordered(_hours, _hourKeys).Concat(Ordered(_minutes, _minuteKeys));

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

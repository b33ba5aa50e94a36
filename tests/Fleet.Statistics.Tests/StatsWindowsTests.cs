namespace Fleet.Statistics.Tests;

public sealed class StatsWindowsTests
{
    // Midnight UTC, so minute m after it is slot m of hour m / 60.
    private static readonly DateTimeOffset T0 = new(2025, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);
    private static readonly TimeSpan OneDay = TimeSpan.FromHours(24);

    [Fact]
    public void Windows_cover_the_expected_slots()
    {
        // now = 10:30:30; each snapshot carries a distinct power of two, so a total names its slots.
        var now = At(630, 30);
        var windows = new StatsWindows();
        windows.Add(Snapshot(At(-841, 0), 512));  // hour slot -15: older than 24 h, dropped
        windows.Add(Snapshot(At(-835, 0), 256));  // hour slot -14: holds now - 24 h, kept whole
        windows.Add(Snapshot(At(-809, 10), 128)); // minute now - 1439: the oldest minute of 24 h
        windows.Add(Snapshot(At(510, 5), 64));    // 08:30 -> hour slot 8
        windows.Add(Snapshot(At(570, 5), 32));    // 09:30, now - 60 min -> hour slot 9
        windows.Add(Snapshot(At(571, 5), 16));    // 09:31, now - 59 min: the oldest minute slot of 1 h
        windows.Add(Snapshot(At(625, 59), 8));    // now - 5 min
        windows.Add(Snapshot(At(626, 0), 4));     // now - 4 min: the oldest minute slot of 5 m
        windows.Add(Snapshot(At(629, 30), 2));    // now - 1 min
        windows.Add(Snapshot(At(630, 20), 1));    // the current minute

        Assert.Equal(1, windows.Query(OneMinute, now).Requests);
        Assert.Equal(1 + 2 + 4, windows.Query(FiveMinutes, now).Requests);
        Assert.Equal(1 + 2 + 4 + 8 + 16, windows.Query(OneHour, now).Requests);
        Assert.Equal(31 + 32 + 64, windows.Query(TimeSpan.FromHours(2), now).Requests);
        Assert.Equal(511, windows.Query(OneDay, now).Requests);
        Assert.Equal(511, windows.Query(TimeSpan.FromDays(3), now).Requests); // answered for 24 h
        Assert.Equal(1 + 2, windows.Query(TimeSpan.FromSeconds(90), now).Requests); // rounds up to 2 minutes
        Assert.Equal(5, windows.MinuteSlotsInUse); // 09:31, 10:25, 10:26, 10:29, 10:30
        Assert.Equal(3, windows.HourSlotsInUse); // -14, 8 and 9; -15 was dropped as the clock moved on
        Assert.Equal(0, windows.DroppedSnapshots);
    }

    [Fact]
    public void Query_spans_the_included_intervals_up_to_now()
    {
        var windows = new StatsWindows();
        windows.Add(Snapshot(At(10, 1), 1));
        windows.Add(Snapshot(At(12, 1), 1));

        var result = windows.Query(FiveMinutes, At(12, 30));

        Assert.Equal(At(10, 0), result.Start); // the snapshot's interval start: end - 1 s
        Assert.Equal(At(12, 30), result.End);

        var empty = windows.Query(OneMinute, At(50, 0));
        Assert.True(empty.IsEmpty);
        Assert.Equal(At(50, 0), empty.Start);
        Assert.Equal(At(50, 0), empty.End);
    }

    [Fact]
    public void Snapshots_in_the_same_minute_merge_into_one_slot()
    {
        var windows = new StatsWindows();
        for (var second = 0; second < 60; second++)
            windows.Add(Snapshot(At(3, second), 1));

        Assert.Equal(1, windows.MinuteSlotsInUse);
        var result = windows.Query(OneMinute, At(3, 59));
        Assert.Equal(60, result.Requests);
        Assert.Equal(60, result.Latency.Count);
    }

    [Fact]
    public void Minute_slots_older_than_an_hour_compact_into_hour_slots_with_counts_preserved()
    {
        var windows = new StatsWindows();
        for (var minute = 0; minute < 180; minute++)
            windows.Add(Snapshot(At(minute, 30), 1));
        var now = At(179, 40);

        Assert.Equal(60, windows.MinuteSlotsInUse);   // minutes 120..179
        Assert.Equal(2, windows.HourSlotsInUse);      // hours 0 and 1
        Assert.Equal(180, windows.Query(OneDay, now).Requests);
        Assert.Equal(180, windows.Query(OneDay, now).Latency.Count);
        Assert.Equal(180, windows.Query(TimeSpan.FromHours(3), now).Requests);
        Assert.Equal(120, windows.Query(TimeSpan.FromHours(2), now).Requests);
        Assert.Equal(60, windows.Query(OneHour, now).Requests);
        Assert.Equal(5, windows.Query(FiveMinutes, now).Requests);

        var hour0 = windows.ToState().Hours[0];
        Assert.Equal(60, hour0.Snapshot.Requests);
        Assert.Equal(At(0, 29), hour0.Snapshot.Start);
        Assert.Equal(At(59, 30), hour0.Snapshot.End);
    }

    [Fact]
    public void Data_older_than_24_hours_is_dropped()
    {
        var windows = new StatsWindows();
        for (var hour = 0; hour < 30; hour++)
            windows.Add(Snapshot(At((hour * 60) + 30, 0), 1));
        var now = At((29 * 60) + 30, 30);

        Assert.Equal(24, windows.HourSlotsInUse); // hours 5..28; hours 0..4 dropped
        Assert.Equal(1, windows.MinuteSlotsInUse); // hour 29's minute
        Assert.Equal(25, windows.Query(OneDay, now).Requests);
        Assert.Equal(1, windows.Query(OneHour, now).Requests);

        windows.Add(Snapshot(At(100, 0), 1)); // arrives late, for hour 1: gone already
        Assert.Equal(1, windows.DroppedSnapshots);
        Assert.Equal(25, windows.Query(OneDay, now).Requests);

        windows.Add(Snapshot(At(400, 0), 1)); // late, but hour 6 is still kept
        Assert.Equal(26, windows.Query(OneDay, now).Requests);
    }

    [Fact]
    public void Advance_compacts_without_new_data_and_query_ignores_stale_slots()
    {
        var windows = new StatsWindows();
        windows.Add(Snapshot(At(0, 30), 7));

        Assert.Equal(0, windows.Query(OneHour, At(120, 0)).Requests); // stale minute slot not in the window
        Assert.Equal(7, windows.Query(OneDay, At(120, 0)).Requests);

        windows.Advance(At(120, 0));
        Assert.Equal(0, windows.MinuteSlotsInUse);
        Assert.Equal(1, windows.HourSlotsInUse);
        Assert.Equal(7, windows.Query(OneDay, At(120, 0)).Requests);

        windows.Advance(At(25 * 60, 0));
        Assert.Equal(0, windows.HourSlotsInUse);
        Assert.Equal(0, windows.Query(OneDay, At(25 * 60, 0)).Requests);
    }

    [Fact]
    public void Query_rejects_non_positive_windows()
    {
        var windows = new StatsWindows();
        Assert.Throws<ArgumentOutOfRangeException>(() => windows.Query(TimeSpan.Zero, T0));
    }

    [Fact]
    public void State_round_trip_keeps_slots_and_answers()
    {
        var windows = new StatsWindows();
        for (var minute = 0; minute < 200; minute += 3)
            windows.Add(Snapshot(At(minute, 10), minute));
        var now = At(200, 0);

        var restored = StatsWindows.FromState(windows.ToState());

        Assert.Equal(windows.MinuteSlotsInUse, restored.MinuteSlotsInUse);
        Assert.Equal(windows.HourSlotsInUse, restored.HourSlotsInUse);
        foreach (var window in new[] { OneMinute, FiveMinutes, OneHour, OneDay })
            Assert.Equal(windows.Query(window, now).Requests, restored.Query(window, now).Requests);

        // Restored windows keep compacting from where they were.
        restored.Add(Snapshot(At(260, 0), 1));
        Assert.Equal(windows.Query(OneDay, now).Requests + 1, restored.Query(OneDay, At(260, 0)).Requests);
    }

    /// <summary>T0 plus whole minutes and seconds.</summary>
    private static DateTimeOffset At(int minute, int second) => T0.AddMinutes(minute).AddSeconds(second);

    /// <summary>A one-second snapshot ending at <paramref name="end"/> with <paramref name="requests"/> requests, each also in the latency sketch.</summary>
    private static StatsSnapshot Snapshot(DateTimeOffset end, long requests)
    {
        var latency = new DDSketch();
        latency.Add(5, requests);
        return StatsSnapshot.Empty(end.AddSeconds(-1), end) with { Requests = requests, Rows = requests, Latency = latency.ToData() };
    }
}

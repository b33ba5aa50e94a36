using Fleet.Grains.Monitoring;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Tests.Monitoring;

public sealed class RetrainAccumulationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static RetrainReason Reason(string trigger, string version, int minutes, string text = "") =>
        new(trigger, T0.AddMinutes(minutes), $"version {version}: {trigger} {text}".TrimEnd(), new Dictionary<string, double>()) { Version = version };

    private static RetrainRequest Open(params RetrainReason[] triggers) =>
        new("rt-1", "m", "1", T0, triggers, RetrainStatus.Open, null, null, null, []);

    [Fact]
    public void A_later_drift_on_another_version_and_a_real_quality_drop_after_a_cleared_one_join_the_open_request()
    {
        var open = Open(Reason("drift", "1", 0), Reason("quality", "1", 1, "accuracy 0.938 on 80 labels"));

        // The same drift on every run adds nothing; the same kind on version 2 does.
        Assert.Empty(RetrainPolicy.Additions(open, "1", [Reason("drift", "1", 2)], new HashSet<string>()));
        var other = Assert.Single(RetrainPolicy.Additions(open, "2", [Reason("drift", "2", 3)], new HashSet<string>()));
        Assert.Equal(("drift", "version 2: drift", T0.AddMinutes(3)), (other.Trigger, other.Reason, other.At));

        // The quality verdict cleared and fired again (a new episode, e.g. 0.733 on 1,338 labels): it joins with its evidence.
        var drop = Reason("quality", "1", 9, "accuracy 0.733 on 1338 labels");
        Assert.Equal([drop], RetrainPolicy.Additions(open, "1", [drop, Reason("drift", "1", 9)], new HashSet<string> { "quality" }));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(60, "1m")]
    [InlineData(65, "1m 5s")]
    [InlineData(7500, "2h 5m")]
    [InlineData(86400, "1 day")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData((3 * 86400) + (4 * 3600) + 59, "3 days 4h")]
    public void Durations_use_the_largest_unit_that_fits(int seconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
}

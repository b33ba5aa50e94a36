using Fleet.Grains.Hosts;
using Fleet.Abstractions.Hosts;
using Fleet.Server.Health;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Tests.Health;

/// <summary>The pure parts of probing: per-check counters, a version's verdict, the host's status, latency, liveness of reports.</summary>
[Trait(Speed.Trait, Speed.Unit)]
public sealed class ProbeStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ProbeResult Result(string check, bool passed, string detail = "d") => new(Now, "m", "1", check, passed, detail, null);

    [Fact]
    public void A_check_turns_failing_only_after_the_threshold_and_recovers_after_the_recovery_threshold()
    {
        var counter = ProbeCounter.New.Next(true, "ok", 3, 2);
        Assert.Equal(ProbeVerdict.Passing, counter.Verdict);

        counter = counter.Next(false, "slow", 3, 2).Next(false, "slow", 3, 2);
        Assert.Equal((ProbeVerdict.Passing, 2), (counter.Verdict, counter.ConsecutiveFailures));
        counter = counter.Next(false, "wrong", 3, 2);
        Assert.Equal((ProbeVerdict.Failing, 3, "wrong"), (counter.Verdict, counter.ConsecutiveFailures, counter.Detail));

        counter = counter.Next(true, "ok", 3, 2);
        Assert.Equal((ProbeVerdict.Failing, 0, 1, "wrong"), (counter.Verdict, counter.ConsecutiveFailures, counter.ConsecutivePasses, counter.Detail));
        counter = counter.Next(true, "ok", 3, 2);
        Assert.Equal((ProbeVerdict.Passing, (string?)null), (counter.Verdict, counter.Detail));
    }

    [Fact]
    public void One_failure_between_passes_does_not_flap()
    {
        var counter = ProbeCounter.New;
        foreach (var passed in new[] { true, false, true, false, false, true, false })
        {
            counter = counter.Next(passed, "x", 3, 2);
            Assert.Equal(ProbeVerdict.Passing, counter.Verdict);
        }
    }

    [Fact]
    public void A_first_failure_keeps_the_version_unknown_until_the_threshold()
    {
        var health = VersionHealth.New.Apply([Result("liveness", true), Result("golden", false, "differs")], 3, 2, null, null, Now);

        Assert.Equal(ProbeVerdict.Unknown, health.Verdict);
        Assert.Equal("differs", health.Detail);
        health = health.Apply([Result("golden", false, "differs")], 3, 2, null, null, Now).Apply([Result("golden", false, "differs 3")], 3, 2, null, null, Now);
        Assert.Equal(ProbeVerdict.Failing, health.Verdict);
        Assert.Equal(["golden"], health.Failing);
        Assert.Equal(("differs 3", 3), (health.Detail, health.ConsecutiveFailures));
    }

    [Fact]
    public void Soft_checks_do_not_fail_the_version()
    {
        var health = VersionHealth.New;
        for (var i = 0; i < 3; i++)
        {
            health = health.Apply([Result("liveness", true), Result("golden", true), Result("artifact", true), Result("latency", false, "slow")], 3, 2, 9, 1, Now);
        }

        Assert.Equal(ProbeVerdict.Passing, health.Verdict);
        Assert.Equal(["latency"], health.Failing);
        Assert.Equal((9.0, 1.0), (health.LatencyMs, health.BaselineMs));
    }

    [Fact]
    public void Host_is_unhealthy_when_a_live_version_fails_a_hard_check_and_degraded_for_the_rest()
    {
        static VersionHealth Failing(string check) =>
            Enumerable.Range(0, 3).Aggregate(VersionHealth.New, (h, _) => h.Apply([new ProbeResult(Now, "m", "1", check, false, $"{check} broke", null)], 3, 2, null, null, Now));

        var healthy = HostHealth.Evaluate([new VersionStatus("a", "1", VersionRole.Live, VersionHealth.New)], []);
        Assert.Equal(HostStatus.Healthy, healthy.Status);
        Assert.Empty(healthy.Reasons);

        var degraded = HostHealth.Evaluate([new VersionStatus("a", "1", VersionRole.Fallback, Failing("golden")), new VersionStatus("b", "2", VersionRole.Live, Failing("latency"))], []);
        Assert.Equal(HostStatus.Degraded, degraded.Status);
        Assert.Equal([
            "model 'a' version '1' (fallback): golden probe failing (3 consecutive): golden broke",
            "model 'b' version '2' (live): latency probe failing (3 consecutive): latency broke"], degraded.Reasons);

        var unhealthy = HostHealth.Evaluate([new VersionStatus("a", "1", VersionRole.Live, Failing("liveness"))], ["model 'c' version '4' failed to load on this host: checksum mismatch"]);
        Assert.Equal(HostStatus.Unhealthy, unhealthy.Status);
        Assert.Equal([
            "model 'c' version '4' failed to load on this host: checksum mismatch",
            "model 'a' version '1' (live): liveness probe failing (3 consecutive): liveness broke"], unhealthy.Reasons);
    }

    [Theory]
    [InlineData(0.30, true)] // 3 × the 0.1 ms baseline
    [InlineData(2.09, true)] // slower, but within the 2 ms floor above the baseline
    [InlineData(2.11, false)]
    public void Latency_is_judged_against_factor_times_baseline_with_a_floor(double milliseconds, bool passed)
    {
        Assert.Equal(passed, LatencyJudge.Check(milliseconds, 0.1, 3, 2).Passed);
    }

    [Fact]
    public void Latency_names_the_limit_and_the_baseline_is_the_median()
    {
        Assert.Equal(4.0, LatencyJudge.Baseline([9, 1, 4, 3, 5]));
        Assert.Equal(3.5, LatencyJudge.Baseline([4, 1, 3, 9]));
        Assert.Equal((false, "golden run 40 ms is slower than 3 × the baseline 10 ms (limit 30 ms)"), LatencyJudge.Check(40, 10, 3, 2));
    }

    [Fact]
    public async Task A_probe_run_that_does_not_return_in_time_is_abandoned_not_awaited()
    {
        var time = new FakeTimeProvider(Now);
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();

        var start = ProbeRun.StartAsync(() =>
        {
            entered.Set();
            release.Wait();
            return new ProbeRunResult([], [], 1, null);
        }, TimeSpan.FromSeconds(5), time, CancellationToken.None);
        entered.Wait(TestContext.Current.CancellationToken);
        Assert.False(start.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        var (result, run) = await start;

        Assert.Null(result);
        Assert.False(run.IsCompleted);
        release.Set();
        Assert.Equal(1, (await run).FirstMilliseconds);
    }

    [Fact]
    public async Task A_probe_run_that_returns_in_time_gives_its_result()
    {
        var time = new FakeTimeProvider(Now);

        var (result, _) = await ProbeRun.StartAsync(() => new ProbeRunResult(null, null, 0, "boom"), TimeSpan.FromSeconds(5), time, CancellationToken.None);

        Assert.Equal("boom", result!.Error);
    }

    private static HostReport Report(DateTimeOffset at, HostStatus status = HostStatus.Healthy, params string[] reasons) => new(
        "silo-a", "127.0.0.1:1@1", at, at, status, reasons, "CPU", null, new HostMemory(1, 1, 1), [], [], [],
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3, 100);

    [Fact]
    public void A_live_host_shows_its_own_status_until_its_report_is_stale()
    {
        var report = Report(Now, HostStatus.Degraded, "slow");

        var fresh = HostLiveness.Evaluate(report, SiloStatus.Active, Now.AddSeconds(20));
        Assert.Equal((HostStatus.Degraded, "slow", "active"), (fresh.Status, fresh.Reasons.Single(), fresh.Membership));
        var (status, reasons, membership) = HostLiveness.Evaluate(report, SiloStatus.Active, Now.AddSeconds(20.5));
        Assert.Equal((HostStatus.Unhealthy, "active"), (status, membership));
        Assert.Equal("stale: no probe report for 20.5 s (expected every 5 s): the prober is stuck or the process is frozen", reasons.Single());
    }

    [Fact]
    public void A_dead_or_unknown_silo_is_gone()
    {
        var report = Report(Now);

        var dead = HostLiveness.Evaluate(report, SiloStatus.Dead, Now.AddSeconds(3));
        Assert.Equal((HostStatus.Unhealthy, "gone: membership declared silo 'silo-a' dead (last report 3 s ago)", "dead"), (dead.Status, dead.Reasons.Single(), dead.Membership));
        var unknown = HostLiveness.Evaluate(report, null, Now);
        Assert.Equal((HostStatus.Unhealthy, "gone: silo 'silo-a' is not a member of the cluster (last report 0 s ago)", "gone"), (unknown.Status, unknown.Reasons.Single(), unknown.Membership));
    }
}

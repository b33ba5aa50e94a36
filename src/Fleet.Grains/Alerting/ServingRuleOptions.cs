using System.ComponentModel.DataAnnotations;

namespace Fleet.Grains.Alerting;

/// <summary>
/// <c>Fleet:Alerting:Serving:*</c>: the rules over each live version's serving statistics (<see cref="ServingRules"/>).
/// A model overrides the thresholds with <c>fleet config set MODEL alert.error_rate=0.02 alert.latency_p99_ms=50 ...</c>.
/// </summary>
public sealed class ServingRuleOptions
{
    /// <summary>False: no serving-statistics signals (the coordinator's rollback on broken answers is separate). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The statistics window the rates and the p99 are read over (minute granularity). Default 5 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Answers (or timed requests, for latency) a version needs in the window before a rule judges it. Default 200.</summary>
    [Range(1, long.MaxValue)]
    public long MinSamples { get; set; } = 200;

    /// <summary>
    /// The one-sided normal quantile of the Wilson bounds: a rule fires when the lower bound of its share passes the
    /// threshold. Default 3.09 (99.9 %: the check repeats every few seconds on overlapping windows).
    /// </summary>
    [Range(1.0, 10.0)]
    public double Z { get; set; } = 3.090232306167813;

    /// <summary>Share of answers that broke the output contract (<c>output_violation_rate</c>). Default 0.01.</summary>
    [Range(0.0, 1.0)]
    public double ViolationRate { get; set; } = 0.01;

    /// <summary>Share of requests the version itself failed at run time (<c>model_error_rate</c>; client faults never count). Default 0.01.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; } = 0.01;

    /// <summary>Share of answers the fallback chain gave instead of the version, any step (<c>fallback_rate</c>). Default 0.05.</summary>
    [Range(0.0, 1.0)]
    public double FallbackRate { get; set; } = 0.05;

    /// <summary>
    /// <c>latency_regression</c> against the previous live version (the last-known-good, over its last 24 h): the p99
    /// threshold is this many times its p99 ... Default 2.
    /// </summary>
    [Range(1.0, 1000.0)]
    public double LatencyRatio { get; set; } = 2;

    /// <summary>... and at least this much above it (sub-millisecond models jitter by more than 2× on a busy host). Default 10 ms.</summary>
    [Range(0.0, 3_600_000.0)]
    public double LatencyMinIncreaseMs { get; set; } = 10;

    /// <summary>
    /// How often the coordinator reads each live version's statistics for these rules. Every read is a look in the
    /// false-alarm budget (four shares each). Default 15 s.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}

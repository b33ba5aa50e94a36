using System.Globalization;
using Fleet.Abstractions.Alerting;
using Fleet.Abstractions.Coordination;
using Fleet.Monitoring.Quality;
using Fleet.Statistics;

namespace Fleet.Grains.Alerting;

/// <summary>Where a serving rule stands for one version: its condition holds (confirmed), is over, or cannot be judged yet.</summary>
public enum ServingVerdict
{
    Holds,
    Over,
    Unknown,
}

/// <summary>One rule's verdict on one version, with the numbers a person reads in the signal.</summary>
public sealed record ServingFinding(SignalKind Kind, ServingVerdict Verdict, string Reason, Dictionary<string, double> Evidence);

/// <summary>
/// The rules over a live version's serving statistics (pure). Each judges a share with a one-sided Wilson bound, so
/// a rule fires only on confirmed evidence and a healthy version's noise never pages:
/// <list type="bullet">
/// <item><c>output_violation_rate</c>: answers that broke the output contract, of answers attempted (served plus broken);</item>
/// <item><c>model_error_rate</c>: run-time failures the version caused, of answers attempted (client faults such as bad input
/// are not attempts and never count);</item>
/// <item><c>fallback_rate</c>: answers the fallback chain gave instead (any step, client-visible errors included);</item>
/// <item><c>latency_regression</c>: requests slower than the latency threshold, against the 1 % a p99 allows. The threshold
/// is the model's <c>alert.latency_p99_ms</c>, else the previous live version's p99 over its last 24 h times
/// <see cref="ServingRuleOptions.LatencyRatio"/> and at least <see cref="ServingRuleOptions.LatencyMinIncreaseMs"/> above it
/// (never the version against itself).</item>
/// </list>
/// A condition holds when the bound's lower end reaches the threshold, is over when the observed share is back below
/// it, and is unknown below <see cref="ServingRuleOptions.MinSamples"/> (or without a latency threshold).
/// </summary>
public static class ServingRules
{
    /// <summary>The share of requests a p99 leaves above it.</summary>
    public const double TailShare = 0.01;

    public static IReadOnlyList<ServingFinding> Evaluate(string version, StatsSnapshot live, string? baselineVersion, StatsSnapshot? baseline,
        ServingRuleOptions options, AlertSettings? overrides = null, double? z = null)
    {
        // The false-alarm budget's quantile (AlarmBudgets): never looser than configured.
        var bound = Math.Max(options.Z, z ?? options.Z);

        var fallbacks = live.Fallbacks.Values.Sum();
        var attempts = live.Requests + fallbacks;
        var window = Window(options.Window);
        return
        [
            Rate(SignalKind.OutputViolationRate, live.Errors.GetValueOrDefault(ErrorKinds.OutputViolation), attempts,
                overrides?.ViolationRate ?? options.ViolationRate, options.MinSamples, bound, $"answers of version {version} broke its output contract in the last {window}"),
            Rate(SignalKind.ModelErrorRate, live.Errors.GetValueOrDefault(ErrorKinds.RuntimeError), attempts,
                overrides?.ErrorRate ?? options.ErrorRate, options.MinSamples, bound, $"requests to version {version} failed at run time (the version's fault) in the last {window}"),
            Rate(SignalKind.FallbackRate, fallbacks, attempts, overrides?.FallbackRate ?? options.FallbackRate, options.MinSamples, bound,
                $"answers for version {version} came from the fallback chain in the last {window} ({Steps(live.Fallbacks)})"),
            Latency(version, live.Latency, baselineVersion, baseline?.Latency, options, bound, overrides?.LatencyP99Ms, window),
        ];
    }

    private static ServingFinding Rate(SignalKind kind, long count, long attempts, double threshold, long minSamples, double z, string what)
    {
        var evidence = new Dictionary<string, double>
        {
            ["rate"] = attempts == 0 ? 0 : Math.Round((double)count / attempts, 6),
            ["threshold"] = threshold,
            ["count"] = count,
            ["attempts"] = attempts,
            ["min_samples"] = minSamples,
        };
        if (attempts < minSamples)
        {
            return new(kind, ServingVerdict.Unknown, $"{attempts} answers, fewer than the {minSamples} a rate needs", evidence);
        }

        var rate = (double)count / attempts;
        var (lower, _) = QualityBounds.Wilson(rate, (int)Math.Min(attempts, int.MaxValue), z);
        evidence["lower_bound"] = Math.Round(lower, 6);
        var reason = $"{count} of {attempts} {what}: {Percent(rate)}, lower bound {Percent(lower)} vs threshold {Percent(threshold)}";
        var verdict = lower >= threshold && count > 0 ? ServingVerdict.Holds : rate < threshold ? ServingVerdict.Over : ServingVerdict.Unknown;
        return new(kind, verdict, reason, evidence);
    }

    private static ServingFinding Latency(string version, SketchData live, string? baselineVersion, SketchData? baseline, ServingRuleOptions options,
        double z, double? absolute, string window)
    {
        var evidence = new Dictionary<string, double> { ["requests"] = live.Count, ["min_samples"] = options.MinSamples };
        double threshold;
        string against;
        if (absolute is { } ms)
        {
            (threshold, against) = (ms, $"the model's alert.latency_p99_ms {Ms(ms)}");
        }
        else if (baseline is { } b && baselineVersion is not null && b.Count >= options.MinSamples)
        {
            var p99 = DDSketch.FromData(b).Quantile(0.99);
            threshold = Math.Max(p99 * options.LatencyRatio, p99 + options.LatencyMinIncreaseMs);
            evidence["baseline_p99_ms"] = Math.Round(p99, 3);
            against = $"{Ms(threshold)}, from version {baselineVersion}'s p99 {Ms(p99)} over 24 h (×{options.LatencyRatio.ToString("0.##", CultureInfo.InvariantCulture)}, at least +{Ms(options.LatencyMinIncreaseMs)})";
        }
        else
        {
            return new(SignalKind.LatencyRegression, ServingVerdict.Unknown,
                $"no latency threshold: no alert.latency_p99_ms, and no previous live version with {options.MinSamples} timed requests in 24 h", evidence);
        }

        evidence["threshold_ms"] = Math.Round(threshold, 3);
        if (live.Count < options.MinSamples)
        {
            return new(SignalKind.LatencyRegression, ServingVerdict.Unknown, $"{live.Count} timed requests, fewer than the {options.MinSamples} a p99 needs", evidence);
        }

        var slow = live.CountAbove(threshold);
        var share = (double)slow / live.Count;
        var (lower, _) = QualityBounds.Wilson(share, (int)Math.Min(live.Count, int.MaxValue), z);
        var p = DDSketch.FromData(live).Quantile(0.99);
        evidence["p99_ms"] = Math.Round(p, 3);
        evidence["slow"] = slow;
        evidence["slow_share"] = Math.Round(share, 6);
        evidence["lower_bound"] = Math.Round(lower, 6);
        var reason = $"p99 of version {version} is {Ms(p)} in the last {window}: {slow} of {live.Count} requests ({Percent(share)}, lower bound {Percent(lower)}) " +
            $"slower than {against}; a p99 allows {Percent(TailShare)}";
        var verdict = lower > TailShare ? ServingVerdict.Holds : share <= TailShare ? ServingVerdict.Over : ServingVerdict.Unknown;
        return new(SignalKind.LatencyRegression, verdict, reason, evidence);
    }

    private static string Steps(IReadOnlyDictionary<string, long> fallbacks) => fallbacks.Count == 0
        ? "none"
        : string.Join(", ", fallbacks.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Percent(double share) => share.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    private static string Window(TimeSpan window) => window.TotalMinutes >= 1
        ? window.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
        : window.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

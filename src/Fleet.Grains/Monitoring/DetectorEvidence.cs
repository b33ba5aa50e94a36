using System.Globalization;
using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The multivariate and sequential detectors' outcomes as <see cref="DetectorCheck"/>s, so the overall verdict
/// counts them like any feature (confirmed over 3 checks) and names their numbers when they fired.
/// </summary>
internal static class DetectorEvidence
{
    public const string Multivariate = "multivariate";
    public const string Sequential = "sequential";

    public static DetectorCheck[] Checks(ReconstructionResult? multivariate, SequentialUpdate? sequential)
    {
        var checks = new List<DetectorCheck>(2);
        if (multivariate is { Verdict: not MonitorVerdict.InsufficientData } m)
        {
            checks.Add(new DetectorCheck(Multivariate, m.Verdict == MonitorVerdict.Alarm, Invariant(
                $"PCA reconstruction error {m.Error:0.###} {(m.Verdict == MonitorVerdict.Alarm ? "outside" : "within")} [{m.Lower:0.###}, {m.Upper:0.###}] (reference {m.ReferenceError:0.###}, {m.Components} components, {m.Count} rows)")));
        }

        if (sequential is { } s)
        {
            checks.Add(new DetectorCheck(Sequential, s.Alarm, s.Alarm
                ? Invariant($"CUSUM alarm on {string.Join(", ", s.AlarmColumns)}, statistic {s.MaxStatistic:0.##} above {s.Threshold:0.##} ({s.SamplesSeen} rows seen)")
                : Invariant($"CUSUM statistic {s.MaxStatistic:0.##}, threshold {s.Threshold:0.##}")) { Subjects = s.AlarmColumns });
        }

        return [.. checks];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

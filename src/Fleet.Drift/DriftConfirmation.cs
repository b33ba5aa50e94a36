using System.Globalization;
using Fleet.Drift.Analysis;

namespace Fleet.Drift;

/// <summary>
/// Controls false alarms of drift checks that repeat on overlapping windows. A single check at α = 0.05 every few
/// seconds on a sliding window is a fresh chance to be wrong each time, on nearly the same rows; on clean traffic
/// it flags now and then. Here a feature (or the output) is <see cref="DriftVerdict.Drift"/> only after its test
/// fired on <see cref="Checks"/> counted checks in a row, and a check counts only when at least
/// window / <see cref="Checks"/> rows arrived since the previous counted one, so the confirming windows share at most
/// a third of their rows with the first. Until then it is <see cref="DriftVerdict.Suspected"/> (shown with its
/// numbers, never acted on). Hysteresis: a confirmed feature stays drifting until <see cref="Checks"/> counted
/// checks in a row did not fire. The overall verdict is then decided from these verdicts by the usual rules
/// (<see cref="DriftAnalyzer.Summarise"/>); detectors that alarm on their own terms (the multivariate and
/// sequential detectors, <see cref="DetectorCheck"/>) are confirmed the same way and make the window drift once
/// confirmed. The overall verdict is <see cref="DriftVerdict.Warning"/> when it is not drift but anything
/// fired: a suspected feature, a detector not yet confirmed, confirmed inputs below the share: never milder
/// than what fired, and every reason is listed in <see cref="DriftReport.Reasons"/>.
/// </summary>
public static class DriftConfirmation
{
    /// <summary>Counted checks in a row that confirm a drift, and that clear a confirmed one.</summary>
    public const int Checks = 3;

    /// <summary>Rows that must arrive between counted checks for a window of <paramref name="window"/> rows.</summary>
    public static long FreshRowsPerCheck(int window) => Math.Max(1, (window + Checks - 1) / Checks);

    /// <summary>
    /// Applies one check's <paramref name="raw"/> report to <paramref name="state"/> (updated in place when the
    /// check counts) and returns the confirmed report. <paramref name="total"/> is how many rows the version's
    /// window has received in all (monotonic); <paramref name="window"/> its size.
    /// </summary>
    public static DriftReport Apply(DriftReport raw, ConfirmationState state, long total, int window, DriftSettings settings,
        IReadOnlyList<DetectorCheck>? detectors = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        var counts = state.LastCounted is not { } last || total - last >= FreshRowsPerCheck(window);
        if (counts)
        {
            state.LastCounted = total;
        }

        var features = new FeatureDrift[raw.Features.Length];
        var suspected = new List<FeatureDrift>();
        for (var i = 0; i < features.Length; i++)
        {
            var feature = raw.Features[i];
            var track = state.Track(feature.Name);
            if (counts && feature.Verdict != DriftVerdict.InsufficientData)
            {
                track.Advance(feature.Verdict == DriftVerdict.Drift);
            }

            features[i] = Judge(feature, track, counts);
            if (features[i].Verdict == DriftVerdict.Suspected)
            {
                suspected.Add(features[i]);
            }
        }

        // The features' rules on confirmed verdicts; every reason they give rests on features confirmed over 3 checks.
        var (summaryVerdict, summaryReason, share, summaryReasons) = DriftAnalyzer.Summarise(features, settings);
        var drift = new List<string>();
        var warning = new List<string>();
        var confirmed = summaryReasons.Select(r => r + Invariant($" (confirmed on {Checks} checks in a row)")).ToArray();
        (summaryVerdict == DriftVerdict.Drift ? drift : warning).AddRange(confirmed);
        if (suspected.Count > 0)
        {
            warning.Add("drift suspected, not confirmed: " + string.Join("; ", suspected.Select(f => $"{f.Name} ({OverallVerdict.Evidence(f)}, {f.Confirmation})")));
        }
        else if (summaryVerdict == DriftVerdict.NoDrift && raw.Overall is DriftVerdict.Drift or DriftVerdict.Warning)
        {
            warning.Add($"drift suspected, not confirmed: {raw.Reason}");
        }

        foreach (var detector in detectors ?? [])
        {
            var track = state.Track(DetectorPrefix + detector.Name);
            // An alarm between counted checks is kept for the next counted one, not lost.
            track.Pending |= detector.Fired;
            if (detector.Fired)
            {
                track.PendingSubjects.UnionWith(detector.Subjects);
            }

            var alarmed = track.Pending;
            if (counts)
            {
                // The alarms carried from uncounted checks name their subjects too: a run is never confirmed without them.
                track.AdvanceSubjects(track.Pending, track.PendingSubjects, track.PendingSubjects.Count > 0 || track.Subjects is not null);
                track.Pending = false;
                track.PendingSubjects.Clear();
            }

            var named = track.Subjects is { Count: > 0 } subjects ? string.Join(", ", subjects.Order(StringComparer.Ordinal)) : null;
            var on = named is null ? string.Empty : " on " + named;
            // A detector that names columns needs a second opinion: the window test of one of those columns fired.
            var corroborated = named is null
                || features.Any(f => track.Subjects!.Contains(f.Name) && f.Verdict is DriftVerdict.Drift or DriftVerdict.Suspected);
            if (track.Confirmed && corroborated)
            {
                drift.Add(detector.Fired
                    ? Invariant($"{detector.Name}: {detector.Evidence} (confirmed{on} on {Checks} checks in a row{(named is null ? string.Empty : ", and by the window test")})")
                    : Invariant($"{detector.Name}: confirmed{on}; {track.Clean} of {Checks} checks without an alarm to clear ({detector.Evidence})"));
            }
            else if (track.Confirmed)
            {
                warning.Add(Invariant($"{detector.Name}: {detector.Evidence} (alarmed{on} on {Checks} checks in a row; not corroborated: the window test of {named} did not fire)"));
            }
            else if (alarmed)
            {
                var pending = counts ? string.Empty : ", this check not counted: too few new rows";
                warning.Add(Invariant($"{detector.Name} fired, not confirmed: {detector.Evidence} ({Math.Max(track.Drifting, 1)} of {Checks} checks{pending})"));
            }
        }

        string[] reasons = [.. drift, .. warning];
        var overall = drift.Count > 0 ? DriftVerdict.Drift : warning.Count > 0 ? DriftVerdict.Warning : summaryVerdict;
        var reason = reasons.Length > 0 ? string.Join("; ", reasons) : summaryReason;
        return raw with { Overall = overall, Reason = reason, DriftedShare = share, Features = features, Reasons = reasons };
    }

    /// <summary>Detectors' tracks share the state with the features; the prefix keeps a feature named like a detector apart.</summary>
    private const string DetectorPrefix = "\u0001detector:";

    private static FeatureDrift Judge(FeatureDrift feature, FeatureTrack track, bool counted)
    {
        var pending = counted ? string.Empty : ", this check not counted: too few new rows";
        if (track.Confirmed)
        {
            return feature with
            {
                Verdict = DriftVerdict.Drift,
                Confirmation = feature.Verdict == DriftVerdict.Drift
                    ? "confirmed"
                    : Invariant($"confirmed; {track.Clean} of {Checks} checks without drift to clear{pending}"),
            };
        }

        return feature.Verdict == DriftVerdict.Drift
            ? feature with { Verdict = DriftVerdict.Suspected, Confirmation = Invariant($"{track.Drifting} of {Checks} checks{pending}") }
            : feature;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A detector's outcome on one check, for <see cref="DriftConfirmation.Apply"/>: its name, whether it alarmed, its numbers.</summary>
/// <see cref="Subjects"/> are what it alarmed on (the CUSUM's columns): when given, only alarms naming the same
/// subject on every check of the run confirm it. A persistent change keeps alarming on the same column, while false
/// alarms on a stream of many columns land on a different one each time.
public sealed record DetectorCheck(string Name, bool Fired, string Evidence)
{
    public string[] Subjects { get; init; } = [];
}

/// <summary>Per version: each feature's run of counted checks, and the window total at the last counted check.</summary>
public sealed class ConfirmationState
{
    private readonly Dictionary<string, FeatureTrack> _features = new(StringComparer.Ordinal);

    public long? LastCounted { get; set; }

    internal FeatureTrack Track(string feature) =>
        _features.TryGetValue(feature, out var track) ? track : _features[feature] = new FeatureTrack();
}

internal sealed class FeatureTrack
{
    public int Drifting { get; private set; }

    /// <summary>A detector alarmed since the last counted check.</summary>
    public bool Pending { get; set; }

    public int Clean { get; private set; }

    public bool Confirmed { get; private set; }

    /// <summary>What every alarm of the current run named (null until a run with subjects starts).</summary>
    public HashSet<string>? Subjects { get; private set; }

    public HashSet<string> PendingSubjects { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Like <see cref="Advance"/>, but with <paramref name="useSubjects"/> an alarm extends the run only when it
    /// names a subject every alarm of the run named; otherwise it starts a new run of 1 (a confirmed drift stays
    /// confirmed until clean checks clear it).
    /// </summary>
    public void AdvanceSubjects(bool fired, IReadOnlySet<string> subjects, bool useSubjects)
    {
        if (!useSubjects || !fired)
        {
            Advance(fired);
            if (!fired && !Confirmed)
            {
                Subjects = null;
            }

            return;
        }

        var common = Subjects is null ? new HashSet<string>(subjects, StringComparer.Ordinal) : new HashSet<string>(Subjects.Intersect(subjects), StringComparer.Ordinal);
        if (Subjects is not null && common.Count == 0 && !Confirmed)
        {
            Drifting = 0;
            common = new HashSet<string>(subjects, StringComparer.Ordinal);
        }

        Subjects = common.Count > 0 ? common : Subjects;
        Advance(true);
    }

    public void Advance(bool fired)
    {
        if (fired)
        {
            Drifting++;
            Clean = 0;
            Confirmed |= Drifting >= DriftConfirmation.Checks;
        }
        else
        {
            Clean++;
            Drifting = 0;
            Confirmed &= Clean < DriftConfirmation.Checks;
        }
    }
}

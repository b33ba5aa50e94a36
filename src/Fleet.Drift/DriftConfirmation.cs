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
/// (<see cref="DriftAnalyzer.Summarise"/>) and is <see cref="DriftVerdict.Suspected"/> when it is not drift but any
/// feature is suspected or the single check's overall verdict was drift: never milder than what fired.
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
    public static DriftReport Apply(DriftReport raw, ConfirmationState state, long total, int window, DriftSettings settings)
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

        var (overall, reason, share) = DriftAnalyzer.Summarise(features, settings);
        if (overall == DriftVerdict.NoDrift && (suspected.Count > 0 || raw.Overall == DriftVerdict.Drift))
        {
            var which = string.Join("; ", suspected.Select(f => $"{f.Name} ({OverallVerdict.Evidence(f)}, {f.Confirmation})"));
            reason = $"drift suspected, not confirmed: {(which.Length > 0 ? which : raw.Reason)}; {reason}";
            overall = DriftVerdict.Suspected;
        }
        else if (overall == DriftVerdict.Drift)
        {
            reason += $" (confirmed on {Checks} checks in a row)";
        }

        return raw with { Overall = overall, Reason = reason, DriftedShare = share, Features = features };
    }

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

    public int Clean { get; private set; }

    public bool Confirmed { get; private set; }

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

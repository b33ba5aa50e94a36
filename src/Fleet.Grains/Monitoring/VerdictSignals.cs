using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;
using Fleet.Drift;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// A run's verdict changes as coordinator signals (pure): drift entering (<c>drift</c>) or leaving (<c>drift_cleared</c>)
/// and quality dropping, on a change against the last verdicts (kept in <see cref="VersionMonitorState"/>), not on every run.
/// </summary>
internal static class VerdictSignals
{
    /// <summary>The signals, and the retraining triggers whose verdict entered its alarm on this run (a new episode).</summary>
    public static (List<FleetSignal> Signals, HashSet<string> Fresh) Of(VersionMonitorState state, string model, DriftRun run, DateTimeOffset now)
    {
        var signals = new List<FleetSignal>();
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        var drift = run.Report.Overall.ToWire();
        if (drift != state.LastDrift && run.Report.Overall != DriftVerdict.InsufficientData)
        {
            SignalKind? kind = run.Report.Overall == DriftVerdict.Drift ? SignalKind.Drift : state.LastDrift == "drift" ? SignalKind.DriftCleared : null;
            if (kind == SignalKind.Drift)
            {
                fresh.Add("drift");
            }

            if (kind is not null)
            {
                signals.Add(new FleetSignal(kind.Value, model, run.Version, now, run.Report.Reason, new Dictionary<string, double>
                {
                    ["drifted_share"] = run.Report.DriftedShare,
                    ["current_rows"] = run.Report.CurrentCount,
                }));
            }

            state.LastDrift = drift;
        }

        if (run.Quality is { } q && q.Verdict.ToWire() != state.LastQuality && q.Verdict != QualityEvaluation.InsufficientData)
        {
            if (q.Verdict != QualityEvaluation.Ok)
            {
                fresh.Add(q.Verdict == QualityEvaluation.QualityDrop ? "quality" : "estimated_quality");
                var quality = q.Verdict == QualityEvaluation.QualityDrop ? SignalKind.QualityDrop : SignalKind.EstimatedQualityDrop;
                signals.Add(new FleetSignal(quality, model, run.Version, now, q.Reason, new Dictionary<string, double> { ["labels_joined"] = q.LabelsJoined }));
            }

            state.LastQuality = q.Verdict.ToWire();
        }

        return (signals, fresh);
    }
}

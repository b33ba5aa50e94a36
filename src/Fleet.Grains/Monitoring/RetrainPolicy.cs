using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>Which retraining triggers a detector run fires, per the model's <see cref="MonitorSettings.RetrainOn"/>.</summary>
internal static class RetrainPolicy
{
    /// <summary>
    /// Which of <paramref name="fired"/> join the open request: a trigger kind the request lacks for that version,
    /// or one whose verdict entered its alarm again this run (<paramref name="fresh"/>: a new episode, not the same
    /// drift seen on every run). Every trigger keeps its version, evidence and time.
    /// </summary>
    public static RetrainReason[] Additions(RetrainRequest open, string version, IReadOnlyList<RetrainReason> fired, IReadOnlySet<string> fresh) =>
        [.. fired.Where(f => fresh.Contains(f.Trigger) || !open.Triggers.Any(t => t.Trigger == f.Trigger && (t.Version ?? open.Version) == version))];

    public static List<RetrainReason> Evaluate(DriftRun run, MonitorSettings settings, DateTimeOffset? liveSince, DateTimeOffset now)
    {
        var fired = new List<RetrainReason>();
        var on = settings.RetrainOn;
        if (on.Contains(RetrainTrigger.Drift) && run.Report.Overall == DriftVerdict.Drift)
        {
            fired.Add(new RetrainReason("drift", now, $"version {run.Version}: {run.Report.Reason}", new Dictionary<string, double>
            {
                ["drifted_share"] = run.Report.DriftedShare,
                ["current_rows"] = run.Report.CurrentCount,
                ["reference_rows"] = run.Report.ReferenceCount,
            }));
        }

        if (run.Quality is { } q && on.Contains(RetrainTrigger.Quality) && q.Verdict == QualityEvaluation.QualityDrop)
        {
            fired.Add(new RetrainReason("quality", now, $"version {run.Version}: {q.Reason}", Numbers(q)));
        }

        if (run.Quality is { } e && on.Contains(RetrainTrigger.EstimatedQuality) && e.Verdict == QualityEvaluation.EstimatedQualityDrop)
        {
            fired.Add(new RetrainReason("estimated_quality", now, $"version {run.Version}: {e.Reason}", Numbers(e)));
        }

        if (on.Contains(RetrainTrigger.Staleness) && settings.RetrainMaxAge is { } maxAge && liveSince is { } since && now - since > maxAge)
        {
            fired.Add(new RetrainReason("staleness", now, $"version {run.Version} has been live for {Durations.Format(now - since)} (limit {Durations.Format(maxAge)})",
                new Dictionary<string, double>
                {
                    ["age_days"] = (now - since).TotalDays,
                    ["max_age_days"] = maxAge.TotalDays,
                    ["age_seconds"] = (now - since).TotalSeconds,
                    ["max_age_seconds"] = maxAge.TotalSeconds,
                }));
        }

        return [.. fired.Select(f => f with { Version = run.Version })];
    }

    private static Dictionary<string, double> Numbers(QualityReport q)
    {
        var numbers = new Dictionary<string, double> { ["labels_joined"] = q.LabelsJoined };
        if (q.Classification is { } c)
        {
            numbers["accuracy"] = c.Accuracy;
        }

        if (q.Regression is { } r)
        {
            numbers["mae"] = r.Mae;
        }

        if (q.Estimated is { } e)
        {
            numbers["estimated_accuracy"] = e.Accuracy;
        }

        if (q.ReferenceClassification is { } rc)
        {
            numbers["reference_accuracy"] = rc.Accuracy;
        }

        if (q.ReferenceRegression is { } rr)
        {
            numbers["reference_mae"] = rr.Mae;
        }

        return numbers;
    }
}

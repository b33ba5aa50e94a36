using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// Quality of one version from its joined labels and, for classifiers, the label-free estimate; and the
/// concept-drift verdict against the reference: a drop beyond <see cref="MonitorSettings.QualityTolerance"/>
/// (accuracy, absolute; for regressors MAE, relative) confirmed by the bound of <see cref="QualityBounds"/>, on at
/// least <see cref="MonitorSettings.QualityMinLabels"/> labels.
/// </summary>
internal static class QualityEvaluation
{
    public const QualityVerdict Ok = QualityVerdict.Ok;
    public const QualityVerdict QualityDrop = QualityVerdict.QualityDrop;
    public const QualityVerdict EstimatedQualityDrop = QualityVerdict.EstimatedQualityDrop;
    public const QualityVerdict InsufficientData = QualityVerdict.InsufficientData;

    public static QualityReport Evaluate(string version, DateTimeOffset now, TimeSpan window, IReadOnlyList<LabeledPrediction> labels, long unknown,
        VersionDetectors? detectors, IReadOnlyList<MonitorRow> liveRows, MonitorSettings settings, QualityBaseline? baseline = null, double z = QualityBounds.Z)
    {
        var since = now - window;
        var recent = labels.Where(l => l.PredictedAt >= since).ToArray();
        var profile = detectors?.Profile;
        var classifier = profile is { ClassCount: > 0 } || recent.Any(l => l.Predicted >= 0);

        ClassificationQuality? classification = null;
        RegressionQuality? regression = null;
        if (recent.Length > 0 && classifier)
        {
            var classCount = profile?.ClassCount > 0 ? profile.ClassCount : recent.Max(l => Math.Max(l.Predicted, (int)l.Label)) + 1;
            var probabilities = recent.All(l => l.Probabilities?.Length == classCount) ? recent.Select(l => l.Probabilities!).ToList() : null;
            classification = QualityMetrics.Classification(recent.Select(l => (int)l.Label).ToArray(), recent.Select(l => l.Predicted).ToArray(), probabilities, classCount);
        }
        else if (recent.Length > 0)
        {
            regression = QualityMetrics.Regression(recent.Select(l => l.Label).ToArray(), recent.Select(l => l.Value).ToArray());
        }

        AccuracyEstimate? estimated = null;
        if (classifier)
        {
            var confidences = liveRows.Select(r => r.Confidence).Where(double.IsFinite).ToArray();
            // Without a labeled reference there is no calibration: the raw confidences are taken at their word (said in the reason).
            var calibration = detectors?.Calibration ?? ConfidenceCalibration.FromPoints([0.0, 1.0], [0.0, 1.0]);
            estimated = Cbpe.EstimateAccuracy(calibration, confidences, settings.DriftMinSamples);
        }

        var (verdict, reason) = Verdict(classification, regression, estimated, detectors, settings, detectors?.Calibration is null, baseline, z);
        return new QualityReport(version, now, window, recent.Length, unknown, classification, regression, estimated,
            detectors?.ReferenceClassification, detectors?.ReferenceRegression, detectors?.Calibration?.Check, verdict, reason)
        {
            BaselineVersion = baseline?.Version,
            BaselineClassification = baseline?.Classification,
            BaselineRegression = baseline?.Regression,
        };
    }

    /// <summary>
    /// A version judged against the world, not only its own reference (all with labels alone): the floors the user
    /// set (<see cref="MonitorSettings.QualityFloor"/>, <see cref="MonitorSettings.QualityMaxMae"/>) and the
    /// previous live version's realised quality on recent traffic (<paramref name="baseline"/>). Each that fires is
    /// a reason; any drop makes the verdict a drop, whatever the reference comparison said.
    /// </summary>
    private static List<string> WorldDrops(ClassificationQuality? realised, RegressionQuality? regression, MonitorSettings settings, QualityBaseline? baseline, double z)
    {
        var drops = new List<string>();
        var at = DetectorLevels.Confidence(z);
        if (realised is { } r && r.Count >= settings.QualityMinLabels)
        {
            var upper = QualityBounds.Wilson(r.Accuracy, r.Count, z).Upper;
            if (settings.QualityFloor is { } floor && upper < floor)
            {
                drops.Add(Invariant($"accuracy {r.Accuracy:0.###} on {r.Count} labels, at most {upper:0.###} at {at}: below the floor {floor}"));
            }

            if (baseline?.Classification is { } b && b.Count >= settings.QualityMinLabels)
            {
                var bound = QualityBounds.AccuracyDropLower(b.Accuracy, b.Count, r.Accuracy, r.Count, z);
                if (bound > settings.QualityTolerance)
                {
                    drops.Add(Invariant($"accuracy {r.Accuracy:0.###} on {r.Count} labels against the previous live version {baseline.Version}'s {b.Accuracy:0.###} on {b.Count} labels: drop {b.Accuracy - r.Accuracy:0.###}, at least {bound:0.###} at {at} (tolerance {settings.QualityTolerance})"));
                }
            }
        }

        if (regression is { } g && g.Count >= settings.QualityMinLabels)
        {
            if (settings.QualityMaxMae is { } max && QualityBounds.MaeRiseLower(g, new RegressionQuality(int.MaxValue, max, max), 0, z) > 0)
            {
                drops.Add(Invariant($"MAE {g.Mae:0.###} on {g.Count} labels: above the ceiling {max} beyond the {at} bound"));
            }

            if (baseline?.Regression is { } b && b.Count >= settings.QualityMinLabels && QualityBounds.MaeRiseLower(g, b, settings.QualityTolerance, z) is var excess && excess > 0)
            {
                drops.Add(Invariant($"MAE {g.Mae:0.###} on {g.Count} labels against the previous live version {baseline.Version}'s {b.Mae:0.###} on {b.Count} labels x (1 + {settings.QualityTolerance}): excess at least {excess:0.###} at {at}"));
            }
        }

        return drops;
    }

    /// <summary>
    /// Realised quality decides when there are enough labels; otherwise the estimate; otherwise insufficient data.
    /// A drop is a drop only when it exceeds the tolerance beyond the bound (<see cref="QualityBounds"/>: 99.9 %, or z tightened by the false-alarm budget),
    /// both the live and the reference figure being estimates; where the label-free estimate disagrees with the
    /// labels by more than the tolerance, the reason says so.
    /// </summary>
    public static (QualityVerdict Verdict, string Reason) Verdict(ClassificationQuality? realised, RegressionQuality? regression, AccuracyEstimate? estimated,
        VersionDetectors? detectors, MonitorSettings settings, bool uncalibrated, QualityBaseline? baseline = null, double z = QualityBounds.Z)
    {
        var (verdict, reason) = AgainstReference(realised, regression, estimated, detectors, settings, uncalibrated, z);
        var drops = WorldDrops(realised, regression, settings, baseline, z);
        if (drops.Count == 0)
        {
            return (verdict, reason);
        }

        // Never milder than what fired: the reference comparison's own text follows, whatever it concluded.
        return (QualityDrop, string.Join("; ", drops) + (verdict == InsufficientData ? string.Empty : "; against the reference: " + reason));
    }

    private static (QualityVerdict Verdict, string Reason) AgainstReference(ClassificationQuality? realised, RegressionQuality? regression, AccuracyEstimate? estimated,
        VersionDetectors? detectors, MonitorSettings settings, bool uncalibrated, double z)
    {
        var tolerance = settings.QualityTolerance;
        var at = DetectorLevels.Confidence(z);
        var usableEstimate = estimated is { Verdict: not MonitorVerdict.InsufficientData } ? estimated : null;
        if (realised is { } r && r.Count >= settings.QualityMinLabels && detectors?.ReferenceClassification is { } rc)
        {
            var drop = rc.Accuracy - r.Accuracy;
            var bound = QualityBounds.AccuracyDropLower(rc.Accuracy, rc.Count, r.Accuracy, r.Count, z);
            var text = Invariant($"accuracy {r.Accuracy:0.###} on {r.Count} labels, reference {rc.Accuracy:0.###} on {rc.Count} rows: drop {drop:0.###}, at least {bound:0.###} at {at} (tolerance {tolerance})");
            text += Disagreement(usableEstimate, r, tolerance, uncalibrated);
            return bound > tolerance ? (QualityDrop, text) : (Ok, text + (drop > tolerance ? "; the drop is not confirmed beyond the bound" : ""));
        }

        if (regression is { } g && g.Count >= settings.QualityMinLabels && detectors?.ReferenceRegression is { } rr)
        {
            var bound = QualityBounds.MaeRiseLower(g, rr, tolerance, z);
            var text = Invariant($"MAE {g.Mae:0.###} on {g.Count} labels, reference {rr.Mae:0.###} on {rr.Count} rows x (1 + {tolerance}) = {rr.Mae * (1 + tolerance):0.###}: excess at least {bound:0.###} at {at}");
            return bound > 0 ? (QualityDrop, text) : (Ok, text + (g.Mae > rr.Mae * (1 + tolerance) ? "; the rise is not confirmed beyond the bound" : ""));
        }

        var reference = detectors?.ReferenceClassification;
        if (usableEstimate is { } e && reference is { } ra)
        {
            var basis = uncalibrated ? "raw confidences" : "calibrated confidences";
            var drop = ra.Accuracy - e.Accuracy;
            var bound = QualityBounds.EstimatedDropLower(ra.Accuracy, ra.Count, e, z);
            var text = Invariant($"estimated accuracy {e.Accuracy:0.###} ({basis}, {e.Count} rows), reference {ra.Accuracy:0.###} on {ra.Count} rows: drop {drop:0.###}, at least {bound:0.###} at {at} (tolerance {tolerance}); labels joined: {realised?.Count ?? regression?.Count ?? 0}");
            return bound > tolerance ? (EstimatedQualityDrop, text) : (Ok, text);
        }

        var labels = realised?.Count ?? regression?.Count ?? 0;
        return (InsufficientData, detectors?.Profile.Labels is null
            ? $"{labels} labels joined (need {settings.QualityMinLabels}) and no labeled reference to compare with"
            : $"{labels} labels joined (need {settings.QualityMinLabels}) and too few live rows for an estimate (need {settings.DriftMinSamples})");
    }

    // Labels and the label-free estimate measure the same accuracy; a gap beyond the tolerance means one of them
    // is off (labels delayed or wrong, calibration broken by concept drift) and a person should know which is believed.
    private static string Disagreement(AccuracyEstimate? estimate, ClassificationQuality realised, double tolerance, bool uncalibrated) =>
        estimate is { } e && Math.Abs(e.Accuracy - realised.Accuracy) > tolerance
            ? Invariant($"; the label-free estimate says {e.Accuracy:0.###} ({(uncalibrated ? "raw" : "calibrated")} confidences, {e.Count} rows), {Math.Abs(e.Accuracy - realised.Accuracy):0.###} away from the labels: the labels decide")
            : string.Empty;

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>The previous live version's realised quality on its recent labelled traffic: what a new version must not fall below.</summary>
internal sealed record QualityBaseline(string Version, ClassificationQuality? Classification, RegressionQuality? Regression);

using Fleet.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// Quality of one version from its joined labels and, for classifiers, the label-free estimate; and the
/// concept-drift verdict against the reference: a drop beyond <see cref="MonitorSettings.QualityTolerance"/>
/// (accuracy, absolute; for regressors MAE, relative) on at least <see cref="MonitorSettings.QualityMinLabels"/> labels.
/// </summary>
internal static class QualityEvaluation
{
    public const string Ok = "ok";
    public const string QualityDrop = "quality-drop";
    public const string EstimatedQualityDrop = "estimated-quality-drop";
    public const string InsufficientData = "insufficient-data";

    public static QualityReport Evaluate(string version, DateTimeOffset now, TimeSpan window, IReadOnlyList<LabeledPrediction> labels, long unknown,
        VersionDetectors? detectors, IReadOnlyList<MonitorRow> liveRows, MonitorSettings settings)
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

        var (verdict, reason) = Verdict(classification, regression, estimated, detectors, settings, detectors?.Calibration is null);
        return new QualityReport(version, now, window, recent.Length, unknown, classification, regression, estimated,
            detectors?.ReferenceClassification, detectors?.ReferenceRegression, detectors?.Calibration?.Check, verdict, reason);
    }

    /// <summary>Realised quality decides when there are enough labels; otherwise the estimate; otherwise insufficient data.</summary>
    public static (string Verdict, string Reason) Verdict(ClassificationQuality? realised, RegressionQuality? regression, AccuracyEstimate? estimated,
        VersionDetectors? detectors, MonitorSettings settings, bool uncalibrated)
    {
        var tolerance = settings.QualityTolerance;
        if (realised is { } r && r.Count >= settings.QualityMinLabels && detectors?.ReferenceClassification is { } rc)
        {
            var drop = rc.Accuracy - r.Accuracy;
            return drop > tolerance
                ? (QualityDrop, $"accuracy {r.Accuracy:0.###} on {r.Count} labels is {drop:0.###} below the reference {rc.Accuracy:0.###} (tolerance {tolerance})")
                : (Ok, $"accuracy {r.Accuracy:0.###} on {r.Count} labels, reference {rc.Accuracy:0.###} (tolerance {tolerance})");
        }

        if (regression is { } g && g.Count >= settings.QualityMinLabels && detectors?.ReferenceRegression is { } rr)
        {
            var limit = rr.Mae * (1 + tolerance);
            return g.Mae > limit
                ? (QualityDrop, $"MAE {g.Mae:0.###} on {g.Count} labels is above the reference {rr.Mae:0.###} x (1 + {tolerance})")
                : (Ok, $"MAE {g.Mae:0.###} on {g.Count} labels, reference {rr.Mae:0.###} (tolerance {tolerance})");
        }

        var reference = detectors?.ReferenceClassification?.Accuracy;
        if (estimated is { Verdict: not MonitorVerdict.InsufficientData } e && reference is { } ra)
        {
            var basis = uncalibrated ? "raw confidences" : "calibrated confidences";
            var drop = ra - e.Accuracy;
            return drop > tolerance
                ? (EstimatedQualityDrop, $"estimated accuracy {e.Accuracy:0.###} ({basis}, {e.Count} rows) is {drop:0.###} below the reference {ra:0.###} (tolerance {tolerance})")
                : (Ok, $"estimated accuracy {e.Accuracy:0.###} ({basis}, {e.Count} rows), reference {ra:0.###}; labels joined: {realised?.Count ?? regression?.Count ?? 0}");
        }

        var labels = realised?.Count ?? regression?.Count ?? 0;
        return (InsufficientData, detectors?.Profile.Labels is null
            ? $"{labels} labels joined (need {settings.QualityMinLabels}) and no labeled reference to compare with"
            : $"{labels} labels joined (need {settings.QualityMinLabels}) and too few live rows for an estimate (need {settings.DriftMinSamples})");
    }
}

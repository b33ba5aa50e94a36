using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// Everything a detector run needs from one reference profile, built once per profile (and per ERT, which the
/// sequential detector is calibrated for): sorted per-feature references, the calibrated CUSUM, the PCA model,
/// the confidence calibration and the reference quality.
/// </summary>
internal sealed class VersionDetectors
{
    private VersionDetectors(ReferenceProfile profile, int ert)
    {
        Profile = profile;
        Ert = ert;
    }

    public ReferenceProfile Profile { get; }

    public int Ert { get; }

    /// <summary>Whether the model has an output the detectors read (probabilities, labels or values); embeddings do not.</summary>
    public bool HasOutput { get; private set; }

    /// <summary>One per feature, then the output (<see cref="ReferenceProfile.OutputName"/>) last when <see cref="HasOutput"/>.</summary>
    public IReadOnlyList<FeatureReference> References { get; private set; } = [];

    public SequentialDetector? Sequential { get; private set; }

    /// <summary>Why <see cref="Sequential"/> is null (shown with the run), or null.</summary>
    public string? SequentialUnavailable { get; private set; }

    public PcaReconstructionDetector? Multivariate { get; private set; }

    /// <summary>Why <see cref="Multivariate"/> is null (shown with the run), or null.</summary>
    public string? MultivariateUnavailable { get; private set; }

    public ConfidenceCalibration? Calibration { get; private set; }

    public ClassificationQuality? ReferenceClassification { get; private set; }

    public RegressionQuality? ReferenceRegression { get; private set; }

    public static VersionDetectors Build(ReferenceProfile profile, int ert)
    {
        var detectors = new VersionDetectors(profile, ert);
        var references = new List<FeatureReference>(profile.FeatureNames.Length + 1);
        for (var i = 0; i < profile.FeatureNames.Length; i++)
        {
            references.Add(FeatureReference.Create(profile.FeatureNames[i], profile.Kinds[i], profile.Columns[i]));
        }

        detectors.HasOutput = profile.Output.Any(double.IsFinite);
        if (detectors.HasOutput)
        {
            references.Add(FeatureReference.Create(ReferenceProfile.OutputName, profile.OutputKind, profile.Output));
        }

        detectors.References = references;

        var columns = detectors.HasOutput ? profile.Columns.Append(profile.Output).ToArray() : profile.Columns;
        var names = detectors.HasOutput ? profile.FeatureNames.Append(ReferenceProfile.OutputName).ToArray() : profile.FeatureNames;
        if (profile.RowCount < 2 || columns.All(c => c.Where(double.IsFinite).Distinct().Count() < 2))
        {
            detectors.SequentialUnavailable = $"needs at least 2 reference rows and one column that varies ({profile.RowCount} rows)";
        }
        else
        {
            detectors.Sequential = SequentialDetector.Calibrate(columns, names, new SequentialSettings { ExpectedRunTime = ert });
        }

        var numeric = Enumerable.Range(0, profile.FeatureNames.Length).Where(i => profile.Kinds[i] == FeatureKind.Numeric).ToArray();
        var settings = new ReconstructionSettings();
        if (numeric.Length < 2)
        {
            detectors.MultivariateUnavailable = $"needs at least 2 numeric features, the reference has {numeric.Length}";
        }
        else if (profile.RowCount < settings.MinSamples)
        {
            detectors.MultivariateUnavailable = $"needs at least {settings.MinSamples} reference rows, the reference has {profile.RowCount}";
        }
        else
        {
            detectors.Multivariate = PcaReconstructionDetector.Fit(Rows(profile.Columns, numeric, profile.RowCount), settings);
        }

        if (profile.Labels is { } labels)
        {
            if (profile.ClassCount > 0)
            {
                var truth = labels.Select(l => (int)l).ToArray();
                detectors.ReferenceClassification = QualityMetrics.Classification(truth, profile.Predicted, null, profile.ClassCount);
                if (profile.Confidence.All(double.IsFinite))
                {
                    var correct = truth.Zip(profile.Predicted, (t, p) => t == p).ToArray();
                    detectors.Calibration = ConfidenceCalibration.Fit(profile.Confidence, correct);
                }
            }
            else
            {
                detectors.ReferenceRegression = QualityMetrics.Regression(labels, profile.Output);
            }
        }

        return detectors;
    }

    /// <summary>Row-major copies of the chosen columns, for the multivariate detector.</summary>
    public static List<double[]> Rows(double[][] columns, int[] chosen, int rows)
    {
        var result = new List<double[]>(rows);
        for (var r = 0; r < rows; r++)
        {
            var row = new double[chosen.Length];
            for (var c = 0; c < chosen.Length; c++)
            {
                row[c] = columns[chosen[c]][r];
            }

            result.Add(row);
        }

        return result;
    }

    public int[] NumericFeatures() =>
        Enumerable.Range(0, Profile.FeatureNames.Length).Where(i => Profile.Kinds[i] == FeatureKind.Numeric).ToArray();
}

using Fleet.Abstractions.Monitoring;
using Fleet.Drift;
using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;

namespace Fleet.Grains.Monitoring;

/// <summary>What a detector run of one version reads besides its rows: its labels, the unmatched-label count, the quality baseline.</summary>
internal sealed record RunLabels(IReadOnlyList<LabeledPrediction> Labels, long Unknown, QualityBaseline? Baseline);

/// <summary>
/// One detector run over a version's window (pure): drift against its reference (univariate, confirmed over checks,
/// with the multivariate and sequential detectors and, for the live version, its outputs against the last-known-good's),
/// and quality from labels. The CUSUM sums and the confirmation state it advances are kept by the caller per version.
/// </summary>
internal static class DetectorRun
{
    /// <summary>The CUSUM's sums and how many of the window's rows it has seen.</summary>
    internal sealed record SequentialCursor(SequentialState State, long Seen);

    public static DriftSettings DriftSettingsOf(MonitorSettings settings, DetectorLevels? levels = null) => new()
    {
        Alpha = levels?.DriftAlpha ?? settings.DriftAlpha,
        Correction = settings.DriftCorrection,
        MinSamples = settings.DriftMinSamples,
        NumericEffectThreshold = settings.DriftEffect,
        CategoricalEffectThreshold = settings.DriftEffect,
        OutputFeatureName = ReferenceProfile.OutputName,
    };

    /// <summary>
    /// Runs the detectors on <paramref name="version"/>'s last <see cref="MonitorSettings.DriftWindow"/> rows;
    /// <paramref name="outputBaseline"/>: the version whose outputs the live one is compared with (null: none).
    /// <paramref name="sequential"/> is the CUSUM's cursor, replaced by the one after this run. <paramref name="levels"/>:
    /// the drift alpha, multivariate band and quality z to run at (null: as configured; see <see cref="DetectorLevels"/>).
    /// </summary>
    public static DriftRun Run(string version, MonitorSettings settings, DateTimeOffset now, VersionDetectors? detectors, RowIntake intake,
        string? outputBaseline, ConfirmationState confirmation, ref SequentialCursor? sequential, RunLabels labels, DetectorLevels? levels = null)
    {
        levels ??= DetectorLevels.Configured(settings);
        var window = intake.Window(version);
        var rows = window?.Last(settings.DriftWindow) ?? [];
        var driftSettings = DriftSettingsOf(settings, levels);
        DriftReport report;
        ReconstructionResult? multivariate = null;
        SequentialUpdate? update = null;
        var outputs = OutputsAgainstPrevious(version, outputBaseline, rows, intake, settings, driftSettings, now);
        if (detectors is null)
        {
            report = new DriftReport(DriftVerdict.InsufficientData,
                $"no reference yet: {intake.Pending(version)} of {settings.ReferenceRows} live rows collected to make one (or upload one with the version)",
                0, 0, rows.Count, []);
            if (outputs is not null)
            {
                // The previous version's outputs need no reference: a collapse shows before one is recorded from the version itself.
                var raw = report;
                report = DriftConfirmation.Apply(report, confirmation, intake.Received(version), settings.DriftWindow, driftSettings, [outputs]);
                report = report.Overall == DriftVerdict.InsufficientData ? report with { Reason = raw.Reason } : report;
            }
        }
        else
        {
            var columns = Columns(detectors, window?.FeatureNames ?? detectors.Profile.FeatureNames, rows);
            report = DriftAnalyzer.Analyze(detectors.References, columns, driftSettings);
            if (detectors.Multivariate is { } pca)
            {
                multivariate = pca.Evaluate(VersionDetectors.Rows(columns.ToArray(), detectors.NumericFeatures(), rows.Count), levels.MultivariateSigmas);
            }

            if (detectors.Sequential is { } cusum && window is not null)
            {
                (update, sequential) = Sequential(cusum, detectors, window, sequential);
            }

            report = DriftConfirmation.Apply(report, confirmation, intake.Received(version), settings.DriftWindow, driftSettings,
                [.. DetectorEvidence.Checks(multivariate, update), .. outputs is null ? Array.Empty<DetectorCheck>() : [outputs]]);
        }

        var quality = QualityEvaluation.Evaluate(version, now, settings.QualityWindow, labels.Labels, labels.Unknown, detectors, rows, settings, labels.Baseline, levels.QualityZ);
        string[] notes = [
            .. levels.Note is { } budget ? [budget] : Array.Empty<string>(),
            .. detectors?.MultivariateUnavailable is { } m ? [$"multivariate: {m}"] : Array.Empty<string>(),
            .. detectors?.SequentialUnavailable is { } q ? [$"sequential: {q}"] : Array.Empty<string>(),
        ];
        return new DriftRun(version, now, detectors?.Profile.Source ?? "none", report, multivariate, update, quality, notes);
    }

    /// <summary>
    /// This version's outputs against <paramref name="baseline"/>'s (the live version's last-known-good) over the same
    /// window size; null while either has too few rows, or when the baseline's last rows are older than the quality window.
    /// </summary>
    private static DetectorCheck? OutputsAgainstPrevious(string version, string? baseline, List<MonitorRow> rows, RowIntake intake, MonitorSettings settings,
        DriftSettings driftSettings, DateTimeOffset now)
    {
        if (baseline is null || baseline == version || intake.LastRowsAt(baseline) is not { } at || now - at > settings.QualityWindow)
        {
            return null;
        }

        rows = rows.Count > 0 ? rows : intake.Recent(version, settings.DriftWindow);
        var before = intake.Recent(baseline, settings.DriftWindow);
        var classifier = rows.Any(r => r.Predicted >= 0);
        return OutputComparison.Compare(baseline, classifier ? FeatureKind.Categorical : FeatureKind.Numeric,
            before.Select(r => classifier ? r.Predicted : r.Output).ToArray(), rows.Select(r => classifier ? r.Predicted : r.Output).ToArray(), driftSettings);
    }

    /// <summary>Feeds the rows the CUSUM has not seen yet; an alarm restarts it (the alarm stays in the run's record).</summary>
    private static (SequentialUpdate Update, SequentialCursor Cursor) Sequential(SequentialDetector detector, VersionDetectors detectors, LiveWindow window,
        SequentialCursor? cursor)
    {
        var (sums, seen) = cursor is { } c ? (c.State, c.Seen) : (detector.NewState(), window.Total - Math.Min(window.Total, window.Count));
        var fresh = window.Last(window.Total - seen);
        var columns = Columns(detectors, window.FeatureNames, fresh);
        var rows = new List<double[]>(fresh.Count);
        for (var r = 0; r < fresh.Count; r++)
        {
            var row = new double[columns.Count];
            for (var col = 0; col < columns.Count; col++)
            {
                row[col] = columns[col][r];
            }

            rows.Add(row);
        }

        var update = detector.Update(sums, rows);
        return (update, new SequentialCursor(update.Alarm ? detector.NewState() : sums, window.Total));
    }

    /// <summary>The window's values per reference column (features by name, then the output when monitored); a feature the rows lack is all NaN.</summary>
    public static List<double[]> Columns(VersionDetectors detectors, string[] rowFeatureNames, List<MonitorRow> rows)
    {
        var profile = detectors.Profile;
        var columns = new List<double[]>(profile.FeatureNames.Length + 1);
        foreach (var name in profile.FeatureNames)
        {
            var index = Array.IndexOf(rowFeatureNames, name);
            var column = new double[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                column[r] = index >= 0 && index < rows[r].Features.Length ? rows[r].Features[index] : double.NaN;
            }

            columns.Add(column);
        }

        if (detectors.HasOutput)
        {
            columns.Add(rows.Select(r => r.Output).ToArray());
        }

        return columns;
    }
}

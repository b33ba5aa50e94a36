using Fleet.Drift;
using Fleet.Monitoring;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Online;
using Fleet.Monitoring.Quality;
using Fleet.Statistics;
using Orleans.Serialization.Configuration;

[assembly: TypeManifestProvider(typeof(Fleet.Abstractions.Serialization.AlgorithmTypeAliases))]

namespace Fleet.Abstractions.Serialization;

/// <summary>
/// The wire names the algorithm types had when they carried <c>[Alias]</c> themselves, so a payload that names
/// one (a polymorphic field) reads the same before and after they moved behind surrogates.
/// </summary>
internal sealed class AlgorithmTypeAliases : TypeManifestProviderBase
{
    internal static readonly IReadOnlyDictionary<string, Type> Aliases = new Dictionary<string, Type>
    {
        ["fleet.SketchData"] = typeof(SketchData),
        ["fleet.StatsSnapshot"] = typeof(StatsSnapshot),
        ["fleet.StatsWindowSlot"] = typeof(StatsWindowSlot),
        ["fleet.StatsWindowsState"] = typeof(StatsWindowsState),
        ["fleet.DriftReport"] = typeof(DriftReport),
        ["fleet.FeatureDrift"] = typeof(FeatureDrift),
        ["fleet.DriftVerdict"] = typeof(DriftVerdict),
        ["fleet.FeatureKind"] = typeof(FeatureKind),
        ["fleet.PValueCorrection"] = typeof(PValueCorrection),
        ["fleet.MonitorVerdict"] = typeof(MonitorVerdict),
        ["fleet.ReconstructionResult"] = typeof(ReconstructionResult),
        ["fleet.CalibrationCheck"] = typeof(CalibrationCheck),
        ["fleet.ConfidenceCalibration"] = typeof(ConfidenceCalibration),
        ["fleet.ClassificationQuality"] = typeof(ClassificationQuality),
        ["fleet.RegressionQuality"] = typeof(RegressionQuality),
        ["fleet.AccuracyEstimate"] = typeof(AccuracyEstimate),
        ["fleet.LiveComparison"] = typeof(LiveComparison),
        ["fleet.VersionEvaluation"] = typeof(VersionEvaluation),
        ["fleet.PromotionCheck"] = typeof(PromotionCheck),
        ["fleet.SequentialUpdate"] = typeof(SequentialUpdate),
        ["fleet.CalibrationInfo"] = typeof(CalibrationInfo),
        ["fleet.SequentialDetectorData"] = typeof(SequentialDetectorData),
        ["fleet.SequentialState"] = typeof(SequentialState),
    };

    protected override void ConfigureInner(TypeManifestOptions options)
    {
        foreach (var (alias, type) in Aliases)
            options.WellKnownTypeAliases[alias] = type;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Fleet.Drift;
using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The latest drift scores as gauges on the process-wide "Fleet" meter (exported on /metrics by the silo that
/// runs the model's monitor grain): per feature the effect size and p-value, per version the overall verdict
/// (0 no-drift, 0.5 warning, 1 drift, -1 insufficient data) and the estimated and realised accuracy.
/// </summary>
internal static class MonitorMetrics
{
    private static readonly Meter SharedMeter = new("Fleet");
    private static readonly ConcurrentDictionary<(string Model, string Version), DriftRun> Latest = new();

    static MonitorMetrics()
    {
        SharedMeter.CreateObservableGauge("fleet.drift.effect_size", () => Features(f => f.EffectSize),
            description: "Latest drift effect size per feature (normalised Wasserstein or Jensen-Shannon distance); __output__ is the prediction");
        SharedMeter.CreateObservableGauge("fleet.drift.p_value", () => Features(f => f.AdjustedPValue),
            description: "Latest drift p-value per feature after multiple-testing correction");
        SharedMeter.CreateObservableGauge("fleet.drift.verdict", () => Latest.Select(kv => new Measurement<double>(
                kv.Value.Report.Overall switch { DriftVerdict.Drift => 1, DriftVerdict.Warning or DriftVerdict.Suspected => 0.5, DriftVerdict.NoDrift => 0, _ => -1 },
                new("model", kv.Key.Model), new("version", kv.Key.Version))),
            description: "Latest overall drift verdict: 1 drift, 0.5 warning (fired, not confirmed over repeated checks, or weaker evidence), 0 no drift, -1 insufficient data");
        SharedMeter.CreateObservableGauge("fleet.quality.estimated_accuracy", () => Latest
                .Where(kv => kv.Value.Quality?.Estimated is { Count: > 0 } e && double.IsFinite(e.Accuracy))
                .Select(kv => new Measurement<double>(kv.Value.Quality!.Estimated!.Accuracy, new("model", kv.Key.Model), new("version", kv.Key.Version))),
            description: "Label-free (CBPE) accuracy estimate over the live window");
        SharedMeter.CreateObservableGauge("fleet.quality.accuracy", () => Latest
                .Where(kv => kv.Value.Quality?.Classification is { Count: > 0 })
                .Select(kv => new Measurement<double>(kv.Value.Quality!.Classification!.Accuracy, new("model", kv.Key.Model), new("version", kv.Key.Version))),
            description: "Realised accuracy over the joined labels of the quality window");
    }

    public static void Record(string model, DriftRun run) => Latest[(model, run.Version)] = run;

    private static IEnumerable<Measurement<double>> Features(Func<FeatureDrift, double> value) =>
        Latest.SelectMany(kv => kv.Value.Report.Features
            .Where(f => double.IsFinite(value(f)))
            .Select(f => new Measurement<double>(value(f), new("model", kv.Key.Model), new("version", kv.Key.Version), new("feature", f.Name))));
}

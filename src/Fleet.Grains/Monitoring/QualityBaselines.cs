using Fleet.Abstractions.Monitoring;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Monitoring;

/// <summary>Which realised quality a version is judged against besides its own reference (pure, over the model's labels).</summary>
internal static class QualityBaselines
{
    private const int BaselineLabels = 5000;

    /// <summary>
    /// The version that served labelled traffic most recently besides <paramref name="version"/> (the previous
    /// live one after a promotion; the other side of a canary), over its last 5,000 labels: a per-model baseline that
    /// survives promotions, since labels are kept per version. Null while no other version has enough labels.
    /// </summary>
    public static QualityBaseline? Of(LabelState labels, string version, MonitorSettings settings)
    {
        var other = labels.Versions
            .Where(kv => kv.Key != version && kv.Value.Count >= settings.QualityMinLabels)
            .OrderByDescending(kv => kv.Value.Max(l => l.PredictedAt))
            .Select(kv => (Version: kv.Key, Labels: kv.Value))
            .FirstOrDefault();
        if (other.Labels is null)
        {
            return null;
        }

        var recent = other.Labels.OrderBy(l => l.PredictedAt).TakeLast(BaselineLabels).ToArray();
        if (recent.Any(l => l.Predicted >= 0))
        {
            var classCount = recent.Max(l => Math.Max(l.Predicted, (int)l.Label)) + 1;
            return new QualityBaseline(other.Version, QualityMetrics.Classification(recent.Select(l => (int)l.Label).ToArray(), recent.Select(l => l.Predicted).ToArray(), null, classCount), null);
        }

        return new QualityBaseline(other.Version, null, QualityMetrics.Regression(recent.Select(l => l.Label).ToArray(), recent.Select(l => l.Value).ToArray()));
    }
}

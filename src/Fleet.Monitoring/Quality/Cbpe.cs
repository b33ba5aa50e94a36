namespace Fleet.Monitoring.Quality;

/// <summary>
/// NannyML's confidence-based performance estimation for accuracy: each prediction is right with its
/// calibrated probability p, so the expected accuracy is the mean p and the realised accuracy scatters
/// around it with standard error √(Σ p(1 − p)) / n. Valid while the relation between confidence and
/// correctness holds (covariate shift); a shift in that relation itself (concept drift) is invisible to it.
/// </summary>
public static class Cbpe
{
    /// <summary>Non-finite confidences are skipped and not counted.</summary>
    public static AccuracyEstimate EstimateAccuracy(ConfidenceCalibration calibration, ReadOnlySpan<double> confidences, int minSamples = 100)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var count = 0;
        double sum = 0, variance = 0;
        foreach (var confidence in confidences)
        {
            if (!double.IsFinite(confidence))
                continue;
            var p = calibration.Apply(confidence);
            count++;
            sum += p;
            variance += p * (1 - p);
        }

        if (count == 0)
            return new AccuracyEstimate(0, double.NaN, double.NaN, MonitorVerdict.InsufficientData);
        var verdict = count < minSamples ? MonitorVerdict.InsufficientData : MonitorVerdict.Ok;
        return new AccuracyEstimate(count, sum / count, Math.Sqrt(variance) / count, verdict);
    }
}

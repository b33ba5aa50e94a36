namespace Fleet.Statistics;

/// <summary>
/// The API's view of a window (plain record; the HTTP layer names properties in snake_case). Parts with
/// no data are null and no number is NaN or infinite, so it always serializes to JSON.
/// </summary>
/// <param name="Start">Earliest interval start included (window queries round to slots).</param>
/// <param name="End">The query time, or the latest interval end if later.</param>
/// <param name="WindowSeconds">The window asked for.</param>
/// <param name="ErrorRate">Errors of every kind / (requests + errors), where requests are the answered ones; 0 when there were neither.
/// <see cref="ClientErrors"/> and <see cref="ModelErrors"/> split the errors by whose fault they are (<see cref="ErrorKinds"/>).</param>
/// <param name="ThroughputRps">Requests per second over the window, or over End − Start when that is shorter.</param>
public sealed record StatsSummary(
    DateTimeOffset Start,
    DateTimeOffset End,
    double WindowSeconds,
    long Requests,
    long Rows,
    IReadOnlyDictionary<string, long> Errors,
    double ErrorRate,
    IReadOnlyDictionary<string, long> Fallbacks,
    IReadOnlyDictionary<string, long> Violations,
    long Outliers,
    double ThroughputRps,
    LatencySummary? LatencyMs,
    IReadOnlyList<FeatureSummary> Features,
    OutputSummary? Outputs)
{
    /// <summary>Errors that are the client's (bad input, rejected input, input the runtime cannot run): never evidence against the model.</summary>
    public long ClientErrors { get; init; }

    /// <summary>Errors that are the model's (run-time errors on input it should run, output contract violations): each went down the fallback chain.</summary>
    public long ModelErrors { get; init; }

    /// <summary><see cref="ClientErrors"/> / (requests + errors); 0 when there were neither.</summary>
    public double ClientErrorRate { get; init; }

    /// <summary><see cref="ModelErrors"/> / (requests + errors); 0 when there were neither.</summary>
    public double ModelErrorRate { get; init; }

    public static StatsSummary From(StatsSnapshot s, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(s);
        var errors = s.ErrorCount;
        var attempts = s.Requests + errors;
        var covered = s.End - s.Start;
        var seconds = covered > TimeSpan.Zero && covered < window ? covered.TotalSeconds : window.TotalSeconds;

        return new StatsSummary(
            s.Start,
            s.End,
            window.TotalSeconds,
            s.Requests,
            s.Rows,
            s.Errors,
            attempts == 0 ? 0 : (double)errors / attempts,
            s.Fallbacks,
            s.Violations,
            s.Outliers,
            seconds > 0 ? s.Requests / seconds : 0,
            LatencyOf(s.Latency),
            [.. s.FeatureNames.Select((name, i) => FeatureOf(name, s.Features[i], s.FeatureMissing[i]))],
            OutputsOf(s))
        {
            ClientErrors = Sum(s.Errors, ErrorKinds.IsClientFault),
            ModelErrors = Sum(s.Errors, ErrorKinds.IsModelFault),
            ClientErrorRate = attempts == 0 ? 0 : (double)Sum(s.Errors, ErrorKinds.IsClientFault) / attempts,
            ModelErrorRate = attempts == 0 ? 0 : (double)Sum(s.Errors, ErrorKinds.IsModelFault) / attempts,
        };
    }

    private static long Sum(IReadOnlyDictionary<string, long> errors, Func<string, bool> kind) => errors.Where(e => kind(e.Key)).Sum(e => e.Value);

    private static LatencySummary? LatencyOf(SketchData data)
    {
        if (data.Count == 0)
            return null;
        var sketch = DDSketch.FromData(data);
        return new LatencySummary(sketch.Quantile(0.5), sketch.Quantile(0.9), sketch.Quantile(0.99), sketch.Max, Finite(sketch.Mean) ?? 0);
    }

    private static FeatureSummary FeatureOf(string name, SketchData data, long missing)
    {
        if (data.Count == 0)
            return new FeatureSummary(name, 0, missing, null, null, null, null, null, null);
        var sketch = DDSketch.FromData(data);
        return new FeatureSummary(
            name, data.Count, missing, sketch.Min, sketch.Max, Finite(sketch.Mean),
            sketch.Quantile(0.05), sketch.Quantile(0.5), sketch.Quantile(0.95));
    }

    private static OutputSummary? OutputsOf(StatsSnapshot s)
    {
        var classCounts = s.ClassCounts.Any(c => c != 0) ? s.ClassCounts : null;

        ConfidenceSummary? confidence = null;
        if (s.Confidence.Count > 0)
        {
            var sketch = DDSketch.FromData(s.Confidence);
            confidence = new ConfidenceSummary(sketch.Quantile(0.05), sketch.Quantile(0.5), sketch.Quantile(0.95), Finite(sketch.Mean) ?? 0);
        }

        ValueSummary? values = null;
        if (s.Values.Count > 0)
        {
            var sketch = DDSketch.FromData(s.Values);
            values = new ValueSummary(
                sketch.Min, sketch.Quantile(0.05), sketch.Quantile(0.5), sketch.Quantile(0.95), sketch.Max, Finite(sketch.Mean) ?? 0);
        }

        return classCounts is null && confidence is null && values is null ? null : new OutputSummary(classCounts, confidence, values);
    }

    /// <summary>A sum of huge values can overflow to infinity; JSON has no such number.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

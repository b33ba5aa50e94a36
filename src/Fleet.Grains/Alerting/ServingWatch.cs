using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Statistics;

namespace Fleet.Grains.Alerting;

/// <summary>
/// Turns <see cref="ServingRules"/> verdicts into signals (pure): a condition is signalled once when it starts to hold
/// and cleared once when it is over or its version is no longer live. <c>active</c> (persisted by the caller) holds
/// the conditions signalled and not yet cleared, so a coordinator that moves neither repeats nor forgets one.
/// </summary>
public static class ServingWatch
{
    public static List<FleetSignal> Step(Dictionary<string, DateTimeOffset> active, string model, string version,
        IReadOnlyList<ServingFinding> findings, DateTimeOffset now)
    {
        var signals = new List<FleetSignal>();
        foreach (var finding in findings)
        {
            var key = KeyOf(model, version, finding.Kind);
            var raised = active.ContainsKey(key);
            if (finding.Verdict == ServingVerdict.Holds && !raised)
            {
                active[key] = now;
                signals.Add(new FleetSignal(finding.Kind, model, version, now, finding.Reason, finding.Evidence));
            }
            else if (finding.Verdict == ServingVerdict.Over && raised)
            {
                active.Remove(key);
                signals.Add(new FleetSignal(finding.Kind.ClearedBy()!.Value, model, version, now, "back under the threshold: " + finding.Reason, finding.Evidence));
            }
        }

        return signals;
    }

    /// <summary>Clears the conditions of versions that are no longer live (<paramref name="live"/>: model → live version).</summary>
    public static List<FleetSignal> Retire(Dictionary<string, DateTimeOffset> active, IReadOnlyDictionary<string, string> live, DateTimeOffset now)
    {
        var signals = new List<FleetSignal>();
        foreach (var key in active.Keys.Order(StringComparer.Ordinal).ToArray())
        {
            var (model, version, kind) = Parse(key);
            if (live.TryGetValue(model, out var current) && current == version)
            {
                continue;
            }

            active.Remove(key);
            signals.Add(new FleetSignal(kind.ClearedBy()!.Value, model, version, now,
                current is null ? $"model {model} has no live version any more" : $"version {version} is no longer live ({current} is)",
                new Dictionary<string, double>()));
        }

        return signals;
    }

    /// <summary>
    /// The raised rate signals with the requests that counted against their version (newest first, at most
    /// <see cref="RequestSamples.PerKind"/>), so <c>fleet trace ID</c> leads from a signal to what a request went through
    /// and back. Clears and latency signals go as they are (latency is a sketch: no request is kept by its duration).
    /// </summary>
    public static List<FleetSignal> WithRequests(IEnumerable<FleetSignal> signals, IReadOnlyList<RequestSample> samples) =>
    [
        .. signals.Select(s => SampleKindOf(s.Kind) is { } kind
            && samples.Where(x => x.Kind == kind).OrderByDescending(x => x.At).Select(x => x.RequestId).Take(RequestSamples.PerKind).ToArray() is { Length: > 0 } ids
                ? s with { RequestIds = ids }
                : s),
    ];

    /// <summary>Which sampled requests a raised signal kind names; null for the kinds that name none.</summary>
    public static SampleKind? SampleKindOf(SignalKind kind) => kind switch
    {
        SignalKind.OutputViolationRate => SampleKind.OutputViolation,
        SignalKind.ModelErrorRate => SampleKind.ModelError,
        SignalKind.FallbackRate => SampleKind.Fallback,
        _ => null,
    };

    public static string KeyOf(string model, string version, SignalKind kind) => $"{model}\u001f{version}\u001f{kind.ToWire()}";

    private static (string Model, string Version, SignalKind Kind) Parse(string key)
    {
        var parts = key.Split('\u001f');
        return (parts[0], parts[1], Enum.GetValues<SignalKind>().First(k => k.ToWire() == parts[2]));
    }
}

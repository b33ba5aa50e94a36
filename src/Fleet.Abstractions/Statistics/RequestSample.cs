namespace Fleet.Abstractions.Statistics;

/// <summary>What a sampled request did wrong: the shares the serving rules judge.</summary>
[GenerateSerializer, Alias("fleet.SampleKind")]
public enum SampleKind
{
    /// <summary>The version's answer broke its output contract.</summary>
    OutputViolation,

    /// <summary>The version failed at run time (its fault, not the input's).</summary>
    ModelError,

    /// <summary>The fallback chain answered (or nothing could) instead of the version.</summary>
    Fallback,
}

/// <summary>
/// One request that counted against a version, by id: silos keep the latest few per kind and version with their
/// statistics, so a serving signal names requests a person can trace (<c>fleet trace ID</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("fleet.RequestSample")]
public sealed record RequestSample(
    [property: Id(0)] SampleKind Kind,
    [property: Id(1)] string RequestId,
    [property: Id(2)] DateTimeOffset At);

/// <summary>Bounds on the samples (pure): the newest <see cref="PerKind"/> of each kind.</summary>
public static class RequestSamples
{
    /// <summary>Request ids kept per kind and version: enough to trace, few enough to ride along with every flush.</summary>
    public const int PerKind = 10;

    /// <summary>The newest <see cref="PerKind"/> of each kind, newest first; a request id appears once per kind.</summary>
    public static RequestSample[] Newest(IEnumerable<RequestSample> samples) =>
    [
        .. samples.GroupBy(s => s.Kind).OrderBy(g => g.Key)
            .SelectMany(g => g.OrderByDescending(s => s.At).DistinctBy(s => s.RequestId, StringComparer.Ordinal).Take(PerKind)),
    ];
}

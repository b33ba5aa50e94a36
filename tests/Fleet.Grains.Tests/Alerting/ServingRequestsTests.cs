using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Statistics;
using Fleet.Grains.Alerting;

namespace Fleet.Grains.Tests.Alerting;

/// <summary>Serving signals name the requests that counted against their version: the newest few of the matching kind.</summary>
public sealed class ServingRequestsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Samples_keep_the_newest_ten_of_each_kind_once_per_request()
    {
        var samples = Enumerable.Range(0, 15).Select(i => new RequestSample(SampleKind.OutputViolation, $"v{i}", T0.AddSeconds(i)))
            .Append(new RequestSample(SampleKind.OutputViolation, "v14", T0.AddSeconds(20)))
            .Append(new RequestSample(SampleKind.Fallback, "f0", T0));

        var kept = RequestSamples.Newest(samples);

        Assert.Equal(["v14", "v13", "v12", "v11", "v10", "v9", "v8", "v7", "v6", "v5", "f0"], kept.Select(s => s.RequestId).ToArray());
        Assert.Equal(T0.AddSeconds(20), kept[0].At);
    }

    [Fact]
    public void Raised_rate_signals_get_the_ids_of_their_kind_and_the_others_none()
    {
        var samples = new[]
        {
            new RequestSample(SampleKind.OutputViolation, "a", T0),
            new RequestSample(SampleKind.OutputViolation, "b", T0.AddSeconds(1)),
            new RequestSample(SampleKind.Fallback, "b", T0.AddSeconds(1)),
        };
        FleetSignal Signal(SignalKind kind) => new(kind, "m", "2", T0, "why", []);

        var signals = ServingWatch.WithRequests(
            [Signal(SignalKind.OutputViolationRate), Signal(SignalKind.FallbackRate), Signal(SignalKind.ModelErrorRate),
             Signal(SignalKind.LatencyRegression), Signal(SignalKind.OutputViolationRateCleared)], samples);

        Assert.Equal(["b", "a"], signals[0].RequestIds!);
        Assert.Equal(["b"], signals[1].RequestIds!);
        Assert.All(signals.Skip(2), s => Assert.Null(s.RequestIds));
    }
}

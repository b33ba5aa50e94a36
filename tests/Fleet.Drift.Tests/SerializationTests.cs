using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Fleet.Drift.Tests;

/// <summary>Drift reports cross grains and reach storage: they survive Orleans' serializer, NaN included.</summary>
public sealed class SerializationTests
{
    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer()
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void DriftReport_round_trips()
    {
        var report = new DriftReport(DriftVerdict.Drift, "output drifted (ks p=1.2e-9, wasserstein 0.31)", 0.25, 5_000, 800,
        [
            new FeatureDrift("__output__", FeatureKind.Numeric, "ks", 0.2, 1e-10, 1.2e-9, "wasserstein", 0.31, 0.4, DriftVerdict.Drift, 5_000, 800),
            new FeatureDrift("country", FeatureKind.Categorical, "chi2", double.NaN, double.NaN, double.NaN, "jensen_shannon", double.NaN, double.NaN, DriftVerdict.InsufficientData, 5_000, 12),
        ]);

        var copy = _serializer.Deserialize<DriftReport>(_serializer.SerializeToArray(report))!;

        Assert.Equal(report with { Features = [] }, copy with { Features = [] });
        Assert.Equal(report.Features, copy.Features);
    }
}

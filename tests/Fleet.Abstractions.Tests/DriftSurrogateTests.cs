using Fleet.Drift;

namespace Fleet.Abstractions.Tests;

/// <summary>Drift reports cross grains and reach storage: they survive Orleans' serializer, NaN included.</summary>
public sealed class DriftSurrogateTests
{
    [Fact]
    public void DriftReport_round_trips()
    {
        var report = new DriftReport(DriftVerdict.Drift, "output drifted (ks p=1.2e-9, wasserstein 0.31)", 0.25, 5_000, 800,
        [
            new FeatureDrift("__output__", FeatureKind.Numeric, "ks", 0.2, 1e-10, 1.2e-9, "wasserstein", 0.31, 0.4, DriftVerdict.Drift, 5_000, 800) { Confirmation = "3 of 3 checks" },
            new FeatureDrift("country", FeatureKind.Categorical, "chi2", double.NaN, double.NaN, double.NaN, "jensen_shannon", double.NaN, double.NaN, DriftVerdict.InsufficientData, 5_000, 12),
        ]) { Reasons = ["output drifted", "mean area drifted"] };

        var copy = OrleansRoundTrip.Copy(report);

        Assert.Equal(report with { Features = [], Reasons = [] }, copy with { Features = [], Reasons = [] });
        Assert.Equal(report.Features, copy.Features);
        Assert.Equal(report.Reasons, copy.Reasons);
        Assert.Equal("3 of 3 checks", copy.Features[0].Confirmation);
        Assert.Same(report, OrleansRoundTrip.Copier.Copy(report)); // immutable: shared, not copied, between local grains
    }
}

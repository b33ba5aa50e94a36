using System.Globalization;
using Fleet.Abstractions.Monitoring;
using Fleet.Grains.Alerting;
using Fleet.Monitoring.Multivariate;
using Fleet.Monitoring.Quality;

namespace Fleet.Grains.Monitoring;

/// <summary>
/// The levels one model's drift, multivariate and quality detectors run at (pure): as configured, or tightened to the
/// fleet false-alarm budget's per-look level α* (<see cref="AlarmBudgets"/>), never loosened. The drift tests run at
/// <c>min(drift_alpha, α*)</c>, the multivariate band at <c>max(3, z(α*/2))</c> standard deviations (two-sided), the
/// quality bounds at <c>z = max(3.09, z(α*))</c> (one-sided). <see cref="Note"/> says so in every run's record.
/// </summary>
public sealed record DetectorLevels(double DriftAlpha, double MultivariateSigmas, double QualityZ, string? Note)
{
    private static readonly double ConfiguredSigmas = new ReconstructionSettings().Sigmas;

    public static DetectorLevels Configured(MonitorSettings settings) => new(settings.DriftAlpha, ConfiguredSigmas, QualityBounds.Z, null);

    /// <param name="perLook">The budget's per-look level; null, NaN or not positive: the budget is off.</param>
    public static DetectorLevels Of(MonitorSettings settings, double? perLook)
    {
        if (perLook is not { } level || !(level > 0))
        {
            return Configured(settings);
        }

        var alpha = Math.Min(settings.DriftAlpha, level);
        var sigmas = Math.Max(ConfiguredSigmas, AlarmBudgets.Quantile(level / 2));
        var z = Math.Max(QualityBounds.Z, AlarmBudgets.Quantile(level));
        var note = FormattableString.Invariant(
            $"false-alarm budget: {Sci(level)} per look, so drift alpha {Sci(alpha)} (configured {Sci(settings.DriftAlpha)}), multivariate band {sigmas:0.##} sd (configured {ConfiguredSigmas:0.##}), quality bounds at z {z:0.##} (configured {QualityBounds.Z:0.##})");
        return new DetectorLevels(alpha, sigmas, z, note);
    }

    /// <summary>A one-sided bound's confidence as text with the digits its tail needs: "99.9%" at z 3.09, "99.999971%" at z 5.</summary>
    public static string Confidence(double z)
    {
        var tail = AlarmBudgets.OneSided(z);
        var decimals = tail > 0 ? Math.Clamp((int)Math.Ceiling(-Math.Log10(tail)) - 1, 1, 12) : 12;
        return (100 * (1 - tail)).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture) + "%";
    }

    private static string Sci(double value) => AlarmBudgets.Sci(value);
}

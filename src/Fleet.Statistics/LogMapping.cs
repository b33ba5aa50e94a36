namespace Fleet.Statistics;

/// <summary>
/// DDSketch's logarithmic index mapping for one relative accuracy α: γ = (1+α)/(1−α), bucket
/// i = ceil(log_γ |x|), estimate 2γ^i/(γ+1). Also packs (sign, index) into one <c>long</c> key so the
/// recorder can pay for the logarithm before it takes its lock and only add under it.
/// </summary>
internal sealed class LogMapping
{
    // A key's top bits say where the value goes; the low 32 bits hold the bucket index.
    public const long ZeroKey = 0;
    public const long PositiveTag = 1L << 32;
    public const long NegativeTag = 2L << 32;
    public const long MissingKey = 3L << 32;

    // The mapping uses a hair less than α so that rounding in Math.Log cannot push an estimate past α.
    private const double AccuracyMargin = 1 - 1e-7;

    private readonly double _multiplier; // 1 / ln γ
    private readonly double _lnGamma;
    private readonly double _valueFactor; // 2 / (γ + 1)

    public LogMapping(double relativeAccuracy)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "relative accuracy must be in (0, 1)");
        RelativeAccuracy = relativeAccuracy;
        var alpha = relativeAccuracy * AccuracyMargin;
        var gamma = (1 + alpha) / (1 - alpha);
        _lnGamma = Math.Log(gamma);
        _multiplier = 1 / _lnGamma;
        _valueFactor = 2 / (gamma + 1);
    }

    public double RelativeAccuracy { get; }

    /// <summary>Bucket of a magnitude above the zero threshold.</summary>
    public int IndexOf(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) * _multiplier);

    /// <summary>The estimate of every magnitude in bucket <paramref name="index"/>.</summary>
    public double ValueOf(int index) => Math.Exp(index * _lnGamma) * _valueFactor;

    /// <summary>Where <paramref name="value"/> goes: <see cref="MissingKey"/> for NaN and ±Infinity.</summary>
    public long KeyOf(double value)
    {
        if (value > DDSketch.ZeroThreshold)
            return value < double.PositiveInfinity ? PositiveTag | (uint)IndexOf(value) : MissingKey;
        if (value < -DDSketch.ZeroThreshold)
            return value > double.NegativeInfinity ? NegativeTag | (uint)IndexOf(-value) : MissingKey;
        return double.IsNaN(value) ? MissingKey : ZeroKey;
    }
}

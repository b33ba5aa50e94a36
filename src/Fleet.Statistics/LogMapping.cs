using System.Collections.Concurrent;

namespace Fleet.Statistics;

/// <summary>
/// DDSketch's logarithmic index mapping for one relative accuracy α: γ = (1+α)/(1−α), bucket
/// i = ceil(log_γ |x|), estimate 2γ^i/(γ+1). Also packs (sign, index) into one <c>long</c> key so the
/// recorder can pay for the logarithm before it takes its lock and only add under it.
/// <para>
/// Speed: log_γ x = e·log_γ 2 + log_γ m for x = 2^e·m. A table of log_γ m at 1024 mantissa cells bounds
/// the result; when a whole cell falls inside one bucket (about 95% of values at α = 1%, 97.5% at 2%)
/// that is the index, otherwise Math.Log decides. Either way the index is exactly ceil(log_γ |x|).
/// </para>
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

    private const int CellBits = 10;

    // Far above the rounding error of the table and of e·log_γ 2 (about 1e-12), far below a cell (0.02+).
    private const double Slop = 1e-9;

    private readonly double[] _cellBounds; // log_γ(1 + j / 2^CellBits) for j = 0 .. 2^CellBits
    private readonly double _log2; // log_γ 2
    private readonly double _multiplier; // 1 / ln γ
    private readonly double _lnGamma;
    private readonly double _valueFactor; // 2 / (γ + 1)

    // Building the table costs ~1000 logarithms, too much for every FromData; accuracies in use are few.
    private static readonly ConcurrentDictionary<double, LogMapping> Cache = new();
    private const int CacheLimit = 16;

    public LogMapping(double relativeAccuracy)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "relative accuracy must be in (0, 1)");
        RelativeAccuracy = relativeAccuracy;
        var alpha = relativeAccuracy * AccuracyMargin;
        var gamma = (1 + alpha) / (1 - alpha);
        Gamma = gamma;
        _lnGamma = Math.Log(gamma);
        _multiplier = 1 / _lnGamma;
        _valueFactor = 2 / (gamma + 1);
        _log2 = Math.Log(2) * _multiplier;
        _cellBounds = new double[(1 << CellBits) + 1];
        for (var j = 0; j < _cellBounds.Length; j++)
            _cellBounds[j] = Math.Log(1 + ((double)j / (1 << CellBits))) * _multiplier;
    }

    public double RelativeAccuracy { get; }

    /// <summary>The shared (immutable) mapping of <paramref name="relativeAccuracy"/>.</summary>
    public static LogMapping For(double relativeAccuracy)
    {
        if (Cache.TryGetValue(relativeAccuracy, out var mapping))
            return mapping;
        mapping = new LogMapping(relativeAccuracy);
        return Cache.Count < CacheLimit ? Cache.GetOrAdd(relativeAccuracy, mapping) : mapping;
    }

    /// <summary>The bucket ratio actually used: γ of a hair less than α.</summary>
    public double Gamma { get; }

    /// <summary>Bucket of a finite magnitude above the zero threshold (a normal double).</summary>
    public int IndexOf(double magnitude)
    {
        var bits = BitConverter.DoubleToInt64Bits(magnitude);
        var exponent = (int)(bits >> 52) - 1023;
        var cell = (int)(bits >> (52 - CellBits)) & ((1 << CellBits) - 1);
        var log2Part = exponent * _log2;
        var low = Math.Ceiling(log2Part + _cellBounds[cell] - Slop);
        var high = Math.Ceiling(log2Part + _cellBounds[cell + 1] + Slop);
        return low == high ? (int)low : ExactIndexOf(magnitude);
    }

    /// <summary>The same index from Math.Log: the reference the table path must agree with.</summary>
    public int ExactIndexOf(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) * _multiplier);

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

namespace Fleet.Monitoring.Online;

/// <summary>
/// The running two-sided CUSUM of one stream: upper and lower statistic per column and the samples seen.
/// Mutable (each <see cref="SequentialDetector.Update"/> advances it) and serializable, so a grain can
/// persist it between calls. After an alarm it is spent: start a <see cref="SequentialDetector.NewState"/>.
/// </summary>
public sealed class SequentialState
{
    private double[] _upper;
    private double[] _lower;
    private long _samplesSeen;
    private bool _alarmed;

    /// <summary>A state for <paramref name="columns"/> columns with both statistics at zero.</summary>
    public SequentialState(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        _upper = new double[columns];
        _lower = new double[columns];
    }

    /// <summary>Restores a state from its parts (for storage: the serializer's surrogate).</summary>
    public static SequentialState Restore(double[] upper, double[] lower, long samplesSeen, bool alarmed)
    {
        ArgumentNullException.ThrowIfNull(upper);
        ArgumentNullException.ThrowIfNull(lower);
        if (upper.Length != lower.Length)
            throw new ArgumentException($"{upper.Length} upper and {lower.Length} lower statistics; need one of each per column", nameof(lower));
        ArgumentOutOfRangeException.ThrowIfNegative(samplesSeen);
        var state = new SequentialState(0) { _upper = [.. upper], _lower = [.. lower], _samplesSeen = samplesSeen, _alarmed = alarmed };
        return state;
    }

    public int Columns => _upper.Length;

    public long SamplesSeen => _samplesSeen;

    /// <summary>True once an update has alarmed; a spent state refuses further rows.</summary>
    public bool Alarmed => _alarmed;

    /// <summary>Per column, the CUSUM of upward deviations (in reference standard deviations, less the slack).</summary>
    public IReadOnlyList<double> Upper => _upper;

    /// <summary>Per column, the CUSUM of downward deviations.</summary>
    public IReadOnlyList<double> Lower => _lower;

    internal double[] UpperValues => _upper;

    internal double[] LowerValues => _lower;

    internal void Advance(long samples) => _samplesSeen += samples;

    internal void MarkAlarmed() => _alarmed = true;
}

namespace Fleet.Monitoring.Online;

/// <summary>
/// The running two-sided CUSUM of one stream: upper and lower statistic per column and the samples seen.
/// Mutable (each <see cref="SequentialDetector.Update"/> advances it) and serializable, so a grain can
/// persist it between calls. After an alarm it is spent: start a <see cref="SequentialDetector.NewState"/>.
/// </summary>
[GenerateSerializer, Alias("fleet.SequentialState")]
public sealed class SequentialState
{
    [Id(0)] private double[] _upper;
    [Id(1)] private double[] _lower;
    [Id(2)] private long _samplesSeen;
    [Id(3)] private bool _alarmed;

    /// <summary>A state for <paramref name="columns"/> columns with both statistics at zero.</summary>
    public SequentialState(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        _upper = new double[columns];
        _lower = new double[columns];
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

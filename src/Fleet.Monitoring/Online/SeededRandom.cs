namespace Fleet.Monitoring.Online;

/// <summary>
/// A <see cref="Random"/> over <see cref="PathRandom"/>: reproducible from (seed, stream) like
/// <c>new Random(seed)</c>, but several times faster than the legacy seeded algorithm, which dominated the
/// simulator's time. Every base method is served through <see cref="Sample"/> or the overrides below.
/// </summary>
internal sealed class SeededRandom(int seed, int stream) : Random
{
    private PathRandom _random = new(seed, stream);

    // 53 random bits: uniform on [0, 1) with the full double resolution.
    public override double NextDouble() => (_random.Next() >> 11) * (1.0 / (1UL << 53));

    public override int Next() => (int)(_random.Next() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : _random.NextIndex(maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (int)Math.BigMul(_random.Next(), (ulong)((long)maxValue - minValue), out _);
    }

    public override long NextInt64() => (long)(_random.Next() >> 1);

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
            buffer[i] = (byte)(_random.Next() >> 56);
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    protected override double Sample() => NextDouble();
}

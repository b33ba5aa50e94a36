namespace Fleet.Monitoring.Online;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, small, and the same sequence on every runtime and
/// platform, so a calibration is reproducible from its seed. Each simulated path gets its own stream
/// derived from (seed, path), which keeps the result independent of how paths are spread over threads.
/// </summary>
internal struct PathRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public PathRandom(int seed, int stream)
    {
        var x = ((ulong)(uint)seed << 32) | (uint)stream;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong Next()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, <paramref name="count"/>): the high word of a 64×64 product (bias below count/2^64).</summary>
    public int NextIndex(int count) => (int)Math.BigMul(Next(), (ulong)count, out _);

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

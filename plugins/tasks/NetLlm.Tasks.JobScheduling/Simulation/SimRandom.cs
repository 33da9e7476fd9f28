namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// The simulator's single random stream (xoshiro256** seeded through SplitMix64): job arrivals, job kinds and
/// task durations all draw from it, so a seed fixes a whole episode. The original draws arrivals from numpy's
/// generator and task durations from Python's global <c>random</c> module (never reseeded by the environment);
/// this port deliberately uses one generator owned by the environment, so episodes are reproducible on their own.
/// The algorithm is spelled out here (rather than <see cref="Random"/>) so that results do not depend on the
/// .NET version.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a stream from a seed.</summary>
    /// <param name="seed">Seed (any value; equal seeds give equal streams).</param>
    public SimRandom(long seed)
    {
        Reseed(seed);
    }

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    /// <param name="seed">Seed.</param>
    public void Reseed(long seed)
    {
        var x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="n"/>) without modulo bias.</summary>
    /// <param name="n">Exclusive upper bound (positive).</param>
    public int NextInt(int n)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"bound {n} must be positive");
        }

        // Lemire's multiply-and-reject: a draw is rejected when the low word falls below 2^64 mod n. That threshold
        // is below n, so it is only computed (one 64-bit division) when the low word is below n.
        var bound = (ulong)n;
        var product = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return (int)product;
    }

    /// <summary>Exponentially distributed value with the given mean.</summary>
    /// <param name="mean">Mean (positive).</param>
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

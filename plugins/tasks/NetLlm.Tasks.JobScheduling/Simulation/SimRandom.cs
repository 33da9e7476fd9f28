using NetLlm.Core.Randomness;

namespace NetLlm.Tasks.JobScheduling.Simulation;

/// <summary>
/// The simulator's single random stream (xoshiro256** seeded through SplitMix64): job arrivals, job kinds and
/// task durations all draw from it, so a seed fixes a whole episode. The original draws arrivals from numpy's
/// generator and task durations from Python's global <c>random</c> module (never reseeded by the environment);
/// this port deliberately uses one generator owned by the environment, so episodes are reproducible on their own.
/// The generator is <see cref="Xoshiro256StarStar"/> (rather than <see cref="Random"/>) so that results do not depend
/// on the .NET version.
/// </summary>
public sealed class SimRandom
{
    private Xoshiro256StarStar _bits;

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
        _bits = new Xoshiro256StarStar(unchecked((ulong)seed));
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64() => _bits.NextUInt64();

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
}

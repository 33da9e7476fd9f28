namespace NetLlm.Tasks.AdaptiveBitrate.Randomness;

/// <summary>
/// A bit-exact port of the parts of numpy's legacy <c>np.random.RandomState</c> (MT19937) that the original ABR code
/// draws from: seeding (<c>np.random.seed(int)</c> uses <c>init_genrand</c>, an integer array uses
/// <c>init_by_array</c>), <c>randint(low, high)</c> (masked rejection sampling on 32-bit outputs),
/// <c>uniform(low, high)</c> (53-bit doubles from two outputs) and <c>shuffle</c> of a list (Fisher–Yates with
/// masked rejection). With the same seed and the same sequence of calls it returns exactly what numpy returns, so
/// sampled baselines (GENET) and the training setting's random start pointers and delay noise match the original.
/// Not thread-safe; holds no unmanaged resources.
/// </summary>
public sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Period = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>Creates a generator seeded like <c>np.random.seed(seed)</c>.</summary>
    /// <param name="seed">Seed, 0 to 2^32 − 1.</param>
    public NumpyRandomState(long seed)
    {
        Seed(seed);
    }

    /// <summary>An independent generator in the same state (the same numbers follow from both).</summary>
    public NumpyRandomState Clone()
    {
        var copy = new NumpyRandomState(0);
        _key.CopyTo(copy._key, 0);
        copy._position = _position;
        return copy;
    }

    /// <summary>Re-seeds like <c>np.random.seed(seed)</c> with an integer (MT19937 <c>init_genrand</c>).</summary>
    /// <param name="seed">Seed, 0 to 2^32 − 1.</param>
    public void Seed(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "Seed must be between 0 and 2**32 - 1 (numpy's rule).");
        }

        var s = (uint)seed;
        for (var i = 0; i < StateLength; i++)
        {
            _key[i] = s;
            s = unchecked((1812433253U * (s ^ (s >> 30))) + (uint)i + 1U);
        }

        _position = StateLength;
    }

    /// <summary>Re-seeds like <c>np.random.seed(array)</c> with a 1-d integer array (MT19937 <c>init_by_array</c>).</summary>
    /// <param name="keys">Seed words, each 0 to 2^32 − 1; at least one.</param>
    public void SeedByArray(ReadOnlySpan<long> keys)
    {
        if (keys.Length == 0)
        {
            throw new ArgumentException("Seed must be non-empty (numpy's rule).", nameof(keys));
        }

        foreach (var k in keys)
        {
            if (k < 0 || k > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(keys), k, "Seed must be between 0 and 2**32 - 1 (numpy's rule).");
            }
        }

        Seed(19650218L);
        int i = 1, j = 0;
        var length = keys.Length;
        for (var k = Math.Max(StateLength, length); k > 0; k--)
        {
            _key[i] = unchecked((_key[i] ^ ((_key[i - 1] ^ (_key[i - 1] >> 30)) * 1664525U)) + (uint)keys[j] + (uint)j);
            i++;
            j++;
            if (i >= StateLength)
            {
                _key[0] = _key[StateLength - 1];
                i = 1;
            }

            if (j >= length)
            {
                j = 0;
            }
        }

        for (var k = StateLength - 1; k > 0; k--)
        {
            _key[i] = unchecked((_key[i] ^ ((_key[i - 1] ^ (_key[i - 1] >> 30)) * 1566083941U)) - (uint)i);
            i++;
            if (i >= StateLength)
            {
                _key[0] = _key[StateLength - 1];
                i = 1;
            }
        }

        _key[0] = 0x80000000U;
        _position = StateLength;
    }

    /// <summary>The next raw 32-bit output (MT19937 <c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength)
        {
            Generate();
        }

        var y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) with 53 random bits, as <c>np.random.random_sample()</c>.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary><c>np.random.uniform(low, high)</c>: <c>low + (high − low) · random_sample()</c>.</summary>
    /// <param name="low">Lower bound.</param>
    /// <param name="high">Upper bound.</param>
    public double Uniform(double low, double high)
    {
        var range = high - low;
        return low + (range * NextDouble());
    }

    /// <summary>
    /// <c>np.random.randint(low, high)</c> for the default int64 dtype: an integer in [low, high), drawn by masked
    /// rejection sampling (ranges below 2^32 use one 32-bit output per try).
    /// </summary>
    /// <param name="low">Smallest value.</param>
    /// <param name="high">One past the largest value (must exceed <paramref name="low"/>).</param>
    public long RandInt(long low, long high)
    {
        if (high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"randint: high ({high}) must exceed low ({low}) (numpy raises 'low >= high').");
        }

        var range = (ulong)(high - 1 - low);
        return low + (long)BoundedMasked(range);
    }

    /// <summary>
    /// numpy's <c>random_interval(max)</c>: an integer in [0, max] by masked rejection, as used by
    /// <c>shuffle</c> and <c>permutation</c>.
    /// </summary>
    /// <param name="max">Largest value.</param>
    public ulong Interval(ulong max)
    {
        if (max == 0)
        {
            return 0;
        }

        var mask = Mask(max);
        ulong value;
        if (max <= uint.MaxValue)
        {
            while ((value = NextUInt32() & mask) > max)
            {
            }
        }
        else
        {
            while ((value = NextUInt64() & mask) > max)
            {
            }
        }

        return value;
    }

    /// <summary><c>np.random.shuffle(list)</c>: in-place Fisher–Yates from the last element down.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="items">The list to shuffle.</param>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i >= 1; i--)
        {
            var j = (int)Interval((ulong)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private ulong BoundedMasked(ulong range)
    {
        if (range == 0)
        {
            return 0;
        }

        if (range <= uint.MaxValue)
        {
            if (range == uint.MaxValue)
            {
                return NextUInt32();
            }

            var mask32 = (uint)Mask(range);
            uint v;
            while ((v = NextUInt32() & mask32) > range)
            {
            }

            return v;
        }

        if (range == ulong.MaxValue)
        {
            return NextUInt64();
        }

        var mask = Mask(range);
        ulong value;
        while ((value = NextUInt64() & mask) > range)
        {
        }

        return value;
    }

    private ulong NextUInt64()
    {
        ulong high = NextUInt32();
        ulong low = NextUInt32();
        return (high << 32) | low;
    }

    private static ulong Mask(ulong max)
    {
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }

    private void Generate()
    {
        int i;
        uint y;
        for (i = 0; i < StateLength - Period; i++)
        {
            y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + Period] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }

        for (; i < StateLength - 1; i++)
        {
            y = (_key[i] & UpperMask) | (_key[i + 1] & LowerMask);
            _key[i] = _key[i + (Period - StateLength)] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }

        y = (_key[StateLength - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[StateLength - 1] = _key[Period - 1] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        _position = 0;
    }
}

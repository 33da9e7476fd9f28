using NetLlm.Tasks.AdaptiveBitrate.Randomness;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

/// <summary>Known outputs of numpy's legacy RandomState and of the MT19937 reference implementation.</summary>
public sealed class NumpyRandomStateTests
{
    [Fact]
    public void Seed0_RandomSample_MatchesNumpy()
    {
        var r = new NumpyRandomState(0);
        Assert.Equal(0.5488135039273248, r.NextDouble());
        Assert.Equal(0.7151893663724195, r.NextDouble());
    }

    [Fact]
    public void Seed42_RandomSample_MatchesNumpy()
    {
        Assert.Equal(0.3745401188473625, new NumpyRandomState(42).NextDouble());
    }

    [Fact]
    public void Seed0_RandInt_MatchesNumpy()
    {
        // np.random.seed(0); np.random.randint(0, 10, 5)
        var r = new NumpyRandomState(0);
        Assert.Equal([5L, 0, 3, 3, 7], Enumerable.Range(0, 5).Select(_ => r.RandInt(0, 10)).ToArray());
    }

    [Fact]
    public void Seed42_RandInt_MatchesNumpy()
    {
        // np.random.seed(42); np.random.randint(0, 100, 10)
        var r = new NumpyRandomState(42);
        Assert.Equal([51L, 92, 14, 71, 60, 20, 82, 86, 74, 74], Enumerable.Range(0, 10).Select(_ => r.RandInt(0, 100)).ToArray());
    }

    [Fact]
    public void Seed0_Shuffle_MatchesNumpyPermutation()
    {
        // np.random.seed(0); np.random.permutation(10)
        var items = Enumerable.Range(0, 10).ToList();
        new NumpyRandomState(0).Shuffle(items);
        Assert.Equal([2, 8, 4, 9, 1, 6, 7, 3, 0, 5], items);
    }

    [Fact]
    public void InitByArray_MatchesMt19937ReferenceOutput()
    {
        // mt19937ar.c test: init_by_array({0x123, 0x234, 0x345, 0x456}), first genrand_int32 outputs.
        var r = new NumpyRandomState(0);
        r.SeedByArray([0x123, 0x234, 0x345, 0x456]);
        Assert.Equal([1067595299U, 955945823U, 477289528U, 4107218783U, 4228976476U], Enumerable.Range(0, 5).Select(_ => r.NextUInt32()).ToArray());
    }

    [Fact]
    public void Uniform_StaysInRange_AndIsAffineInTheSample()
    {
        var a = new NumpyRandomState(7);
        var b = new NumpyRandomState(7);
        for (var i = 0; i < 1000; i++)
        {
            var u = a.Uniform(0.9, 1.1);
            Assert.InRange(u, 0.9, 1.1);
            Assert.Equal(0.9 + ((1.1 - 0.9) * b.NextDouble()), u);
        }
    }

    [Fact]
    public void RandInt_RejectsEmptyRange_AndSeedsOutsideUInt32()
    {
        var r = new NumpyRandomState(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.RandInt(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumpyRandomState(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumpyRandomState(1L << 32));
        Assert.Equal(3, r.RandInt(3, 4));
    }
}

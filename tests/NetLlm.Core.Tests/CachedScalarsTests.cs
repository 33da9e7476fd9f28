using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Tests;

public sealed class CachedScalarsTests
{
    [Fact]
    public void SameConstant_GivesTheSameLiveScalar_AfterGarbageCollection()
    {
        var first = CachedScalars.Of(0.25);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Same(first, CachedScalars.Of(0.25));
        Assert.NotSame(first, CachedScalars.Of(0.5));
        using var x = ones(3);
        using var y = x.mul(CachedScalars.Of(0.25));
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f }, y.data<float>().ToArray());
    }

    [Fact]
    public void LeakyRelu_MatchesTheDefinition_ForItsSlope()
    {
        using var x = tensor(new[] { -2f, -0.5f, 0f, 3f });
        using var module = new LeakyRelu(0.2);
        using var y = module.forward(x);
        Assert.Equal(new[] { -0.4f, -0.1f, 0f, 3f }, y.data<float>().ToArray());
        using var z = LeakyRelu.Apply(x);
        Assert.Equal(new[] { -0.02f, -0.005f, 0f, 3f }, z.data<float>().ToArray());
    }
}

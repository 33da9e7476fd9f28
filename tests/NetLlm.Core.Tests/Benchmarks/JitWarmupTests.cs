using NetLlm.Core.Benchmarks;
using Xunit;

namespace NetLlm.Core.Tests.Benchmarks;

public sealed class JitWarmupTests
{
    [Fact]
    public void Warms_up_at_least_the_minimum_and_settles_once_nothing_compiles()
    {
        var calls = 0;
        var result = JitWarmup.Run(() => { calls++; Thread.Sleep(5); }, minimumSeconds: 0.1, quietSeconds: 0.05, maximumSeconds: 5);

        Assert.True(result.Settled);
        Assert.True(result.Seconds >= 0.1, $"warm-up ended after {result.Seconds} s");
        Assert.Equal(calls, result.Iterations);
        Assert.True(result.Iterations >= 10, $"{result.Iterations} iterations");
    }

    [Fact]
    public void Stops_at_the_maximum_when_the_runtime_keeps_compiling()
    {
        // Every iteration compiles a new dynamic method, so the JIT never goes quiet.
        var result = JitWarmup.Run(CompileOneMethod, minimumSeconds: 0, quietSeconds: 0.05, maximumSeconds: 0.3);

        Assert.False(result.Settled);
        Assert.InRange(result.Seconds, 0.3, 5);
    }

    [Theory]
    [InlineData(1, 1.5)]
    [InlineData(2, 0.5)]
    [InlineData(64, 0.5)]
    public void The_quiet_period_outlasts_the_runtimes_tier_up_delay(int processors, double quiet)
    {
        // Tier-up starts 100 ms after the last tier-0 compilation, 1 s on one processor.
        var delay = processors == 1 ? 1.0 : 0.1;
        Assert.Equal(quiet, JitWarmup.QuietSecondsFor(processors));
        Assert.True(JitWarmup.QuietSecondsFor(processors) > delay);
    }

    [Fact]
    public void Refuses_a_maximum_below_the_minimum()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => JitWarmup.Run(() => { }, minimumSeconds: 1, quietSeconds: 0, maximumSeconds: 0.5));
        Assert.Equal("maximumSeconds", error.ParamName);
    }

    private static void CompileOneMethod()
    {
        var method = new System.Reflection.Emit.DynamicMethod("warm", typeof(int), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(System.Reflection.Emit.OpCodes.Ldc_I4, Environment.TickCount);
        il.Emit(System.Reflection.Emit.OpCodes.Ret);
        _ = ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
    }
}

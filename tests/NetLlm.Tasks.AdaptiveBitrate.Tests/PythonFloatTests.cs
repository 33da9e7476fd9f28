using NetLlm.Tasks.AdaptiveBitrate.Results;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(4.0, "4.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.3, "0.3")]
    [InlineData(0.29999999999999993, "0.29999999999999993")]
    [InlineData(2606.5298067729523, "2606.5298067729523")]
    [InlineData(-10.908078169123693, "-10.908078169123693")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(1.2345678901234567e22, "1.2345678901234568e+22")]
    [InlineData(100.0, "100.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Repr_MatchesPython(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Repr(value));
    }
}

using NetLlm.Abstractions.Options;

namespace NetLlm.Encoders.Standard;

/// <summary>Options of <c>encoder.series-cnn</c>.</summary>
public sealed record SeriesCnnOptions
{
    /// <summary>Convolution channels (the original's 256).</summary>
    [Option("convolution channels", Minimum = 1, Maximum = 65536)]
    public int Channels { get; init; } = 256;

    /// <summary>Convolution kernel size (at most the series length).</summary>
    [Option("convolution kernel size (at most the series length)", Minimum = 1, Maximum = 4096)]
    public int Kernel { get; init; } = 4;
}

/// <summary>Options of <c>encoder.scalar-mlp</c>.</summary>
public sealed record ScalarMlpOptions
{
    /// <summary>Hidden width (the original's 256).</summary>
    [Option("hidden width", Minimum = 1, Maximum = 65536)]
    public int Hidden { get; init; } = 256;
}

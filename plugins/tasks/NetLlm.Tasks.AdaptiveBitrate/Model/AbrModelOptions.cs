using NetLlm.Abstractions.Options;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// Options of the NetLLM ABR model, recorded in a run directory: the width of the per-feature encoders and the kernel
/// of the throughput and download-time convolutions (the original's <c>state_feature_dim</c> 256 and <c>conv_size</c> 4).
/// </summary>
public sealed record AbrModelOptions
{
    /// <summary>Encoder width: hidden units of the scalar MLPs and channels of the series convolutions.</summary>
    [Option("width of the state encoders: MLP hidden units and convolution channels (the original's state_feature_dim)", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int StateFeatureDim { get; init; } = 256;

    /// <summary>Kernel size of the throughput and download-time convolutions (at most the 6-step history).</summary>
    [Option("kernel of the throughput and download-time convolutions, at most the 6-step history (the original's conv_size)", Minimum = 1, Maximum = 6, Verbs = VerbScope.Adapt)]
    public int ConvSize { get; init; } = 4;
}

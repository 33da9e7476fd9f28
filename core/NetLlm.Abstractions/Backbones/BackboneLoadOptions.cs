namespace NetLlm.Abstractions.Backbones;

/// <summary>How a backbone is loaded.</summary>
public sealed record BackboneLoadOptions
{
    /// <summary>Compute dtype: <c>float32</c> (default), <c>bfloat16</c> or <c>float16</c>. Weights are converted.</summary>
    public string DType { get; init; } = "float32";

    /// <summary>Device: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c> or <c>meta</c> (shapes only, no memory).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Allow loading <c>pytorch_model.bin</c> (a pickle) when no safetensors file exists. Off by default: pickle
    /// checkpoints are an explicit opt-in.
    /// </summary>
    public bool AllowPickle { get; init; }

    /// <summary>
    /// Map safetensors tensors stored in the compute dtype straight from the file (a copy-on-write memory mapping, as
    /// Hugging Face does: no copy, the page cache holds the weights once, writes stay private). On by default; false
    /// reads every tensor into the process's own memory (for files that may change while the model is in use).
    /// </summary>
    public bool MapWeights { get; init; } = true;

    /// <summary>Build the modules but leave the random initialisation (no weights are read).</summary>
    public bool RandomInit { get; init; }

    /// <summary>Seed of the random initialisation.</summary>
    public int Seed { get; init; }
}

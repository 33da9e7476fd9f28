namespace NetLlm.Transformers.Benchmarks;

/// <summary>What <see cref="BackboneBenchmark"/> measures.</summary>
public sealed record BackboneBenchmarkOptions
{
    /// <summary>Models as (family, preset name); defaults to the 4x256 and 12x768 Llama and GPT-2 shapes.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Models { get; init; } =
    [
        new("llama", "llama-4x256"),
        new("llama", "llama-12x768"),
        new("gpt2", "gpt2-4x256"),
        new("gpt2", "gpt2-12x768"),
    ];

    /// <summary>Tokens of the measured window (ABR: 20 steps x 8 tokens).</summary>
    public int Tokens { get; init; } = 160;

    /// <summary>Tokens of the incremental step measured with the key/value cache.</summary>
    public int StepTokens { get; init; } = 8;

    /// <summary>Batch size.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Untimed runs before measuring.</summary>
    public int Warmup { get; init; } = 3;

    /// <summary>Timed runs (the median is reported).</summary>
    public int Repeats { get; init; } = 20;

    /// <summary>libtorch thread counts to measure with.</summary>
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];

    /// <summary>Compute dtype.</summary>
    public string DType { get; init; } = "float32";

    /// <summary>Seed of the random weights and inputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A short run for smoke checks (<c>--quick</c>): 1 warm-up, 5 repeats, the current thread count only.</summary>
    public static BackboneBenchmarkOptions Quick => new() { Warmup = 1, Repeats = 5, Threads = [TorchSharp.torch.get_num_threads()] };
}

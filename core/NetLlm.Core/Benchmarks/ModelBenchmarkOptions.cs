namespace NetLlm.Core.Benchmarks;

/// <summary>What <see cref="ModelBenchmark"/> measures on one backbone: a model folder or a built-in preset.</summary>
public sealed record ModelBenchmarkOptions
{
    /// <summary>Model folder (weights loaded from it), or null for <see cref="Preset"/>.</summary>
    public string? Model { get; init; }

    /// <summary>Built-in preset (random weights) when <see cref="Model"/> is null; null for the default preset.</summary>
    public string? Preset { get; init; }

    /// <summary>Compute dtype of the backbone (adapters stay float32).</summary>
    public string DType { get; init; } = "bfloat16";

    /// <summary>LoRA rank of the adapters attached for the decision and training figures.</summary>
    public int Rank { get; init; } = 128;

    /// <summary>Train with gradient checkpointing (recompute each layer's activations in the backward pass).</summary>
    public bool GradientCheckpointing { get; init; } = true;

    /// <summary>Map safetensors weights from the file instead of reading them (see <c>BackboneLoadOptions.MapWeights</c>).</summary>
    public bool MapWeights { get; init; } = true;

    /// <summary>Tokens of the timed inference forward pass.</summary>
    public int ForwardTokens { get; init; } = 32;

    /// <summary>Timed decisions with the KV cache, after the 20-step window is filled.</summary>
    public int Decisions { get; init; } = 5;

    /// <summary>Windows per training step (ABR layout, 160 tokens each).</summary>
    public int TrainBatch { get; init; } = 1;

    /// <summary>Seed of the inputs, adapters and (for presets) weights.</summary>
    public int Seed { get; init; } = 1;
}

namespace NetLlm.Abstractions.Backbones;

/// <summary>Architecture facts of a backbone, as printed by <c>netllm backbone info</c>.</summary>
public sealed record BackboneInfo
{
    /// <summary>Family (plugin) name, for example <c>llama</c>.</summary>
    public required string Family { get; init; }

    /// <summary>Hugging Face <c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>Hugging Face architecture class name, for example <c>LlamaForCausalLM</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>Number of transformer layers.</summary>
    public required int NumLayers { get; init; }

    /// <summary>Hidden width.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Attention heads.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads (less than <see cref="NumAttentionHeads"/> with grouped-query attention).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Feed-forward width.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Vocabulary size.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Maximum positions the model was trained for.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Number of parameters (tied weights counted once).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>Dtype of the parameters as loaded.</summary>
    public required string DType { get; init; }

    /// <summary>Whether the model has a language-model head (logits available).</summary>
    public required bool HasLmHead { get; init; }

    /// <summary>Estimated bytes of parameter memory in <see cref="DType"/>.</summary>
    public long EstimatedParameterBytes => ParameterCount * DTypeSize(DType);

    private static long DTypeSize(string dtype) => dtype switch
    {
        "float16" or "bfloat16" => 2,
        "float64" => 8,
        _ => 4,
    };
}

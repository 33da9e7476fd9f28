namespace NetLlm.Transformers.Tools;

/// <summary>What <c>netllm backbone forward</c> reads and writes (numpy <c>.npy</c> files).</summary>
public sealed record BackboneForwardRequest
{
    /// <summary>Token ids <c>[batch, tokens]</c> (int64 or int32), or null.</summary>
    public string? InputIds { get; init; }

    /// <summary>Attention mask <c>[batch, tokens]</c> (integers or bool, 1 = real token), or null for all ones.</summary>
    public string? AttentionMask { get; init; }

    /// <summary>Input embeddings <c>[batch, tokens, d]</c> (float32 or float64), or null.</summary>
    public string? InputsEmbeds { get; init; }

    /// <summary><c>last_hidden_state</c> (default), <c>logits</c> or <c>hidden_states</c> (stacked <c>[layers + 1, batch, tokens, d]</c>).</summary>
    public string Output { get; init; } = "last_hidden_state";

    /// <summary>Output <c>.npy</c> path (float32).</summary>
    public required string OutputPath { get; init; }
}

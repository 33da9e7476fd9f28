using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modeling;

/// <summary>
/// Input of <see cref="ICausalLm.Run"/>: normalised by <see cref="CausalLmBackbone"/> from a
/// <see cref="BackboneInput"/>. Every tensor is borrowed.
/// </summary>
public sealed class DecoderInput
{
    /// <summary>Token (or task) embeddings <c>[batch, tokens, d]</c> in the compute dtype, before positions are added.</summary>
    public required Tensor InputsEmbeds { get; init; }

    /// <summary>Padding mask over cached and new positions <c>[batch, past + tokens]</c> (int64 0/1), or null when all ones.</summary>
    public Tensor? AttentionMask { get; init; }

    /// <summary>Explicit positions <c>[batch, tokens]</c> (int64), or null to derive them.</summary>
    public Tensor? PositionIds { get; init; }

    /// <summary>First default position (the cache's <see cref="IKvCache.NextPosition"/>, 0 without a cache).</summary>
    public long StartPosition { get; init; }

    /// <summary>Number of cached positions (the cache's <see cref="IKvCache.Length"/>).</summary>
    public int PastLength { get; init; }

    /// <summary>Cache to read and append to, or null.</summary>
    public IKvCache? Cache { get; init; }

    /// <summary>Return the hidden state after the embeddings and after every layer.</summary>
    public bool OutputHiddenStates { get; init; }

    /// <summary>
    /// Run every layer under activation checkpointing (<see cref="NetLlm.Core.Modules.ActivationCheckpoint"/>); set
    /// only for training passes without a cache.
    /// </summary>
    public bool Checkpoint { get; init; }

    /// <summary>Return logits when the model has a head.</summary>
    public bool OutputLogits { get; init; }

    /// <summary>
    /// Positions <c>[batch, P]</c> (int64, on the input's device) whose last hidden state is wanted, or null for all
    /// (see <see cref="BackboneInput.OutputPositions"/>); only set for models that select them themselves.
    /// </summary>
    public Tensor? OutputPositions { get; init; }

    /// <summary>Number of new tokens.</summary>
    public int Tokens => (int)InputsEmbeds.shape[1];

    /// <summary>Batch size.</summary>
    public long Batch => InputsEmbeds.shape[0];

    /// <summary>
    /// Default positions <c>[batch, tokens]</c>: <see cref="PositionIds"/> when given, otherwise
    /// <c>StartPosition .. StartPosition + tokens - 1</c> for every row (Hugging Face Llama/GPT-2 behaviour: left padding
    /// does not shift positions). New tensor, caller owns.
    /// </summary>
    public Tensor SequentialPositions()
    {
        if (PositionIds is not null)
        {
            return PositionIds.to(InputsEmbeds.device).to_type(ScalarType.Int64);
        }

        using var row = arange(StartPosition, StartPosition + Tokens, dtype: ScalarType.Int64, device: InputsEmbeds.device);
        return row.unsqueeze(0).expand(Batch, Tokens).contiguous();
    }
}

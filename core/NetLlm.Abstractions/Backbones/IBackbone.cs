using TorchSharp;

namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// A foundation model used as a headless backbone: it takes input embeddings (or token ids) and returns hidden
/// states in one forward pass. The backbone owns its module and parameters and disposes them with itself.
/// </summary>
public interface IBackbone : IDisposable
{
    /// <summary>Architecture facts (family, widths, parameter count, dtype).</summary>
    BackboneInfo Info { get; }

    /// <summary>Hidden width <c>d</c>: the width of input embeddings and of returned hidden states.</summary>
    int HiddenSize { get; }

    /// <summary>
    /// The root module. Its state-dict names are the Hugging Face names of the checkpoint; its
    /// adaptable linear layers (<c>NetLlm.Core.Modules.AdaptableLinear</c>) are the targets for adapters.
    /// </summary>
    torch.nn.Module Module { get; }

    /// <summary>Device the parameters live on.</summary>
    torch.Device Device { get; }

    /// <summary>Dtype used for computation (parameters are stored in it).</summary>
    torch.ScalarType ComputeDType { get; }

    /// <summary>
    /// How positions are encoded. With <see cref="PositionEncoding.Rotary"/> attention depends only on relative
    /// positions, so evicting the oldest cached positions (<see cref="IKvCache.DropFirst"/>) gives the same result as
    /// recomputing the remaining window; with learned absolute positions it does not.
    /// </summary>
    PositionEncoding PositionEncoding { get; }

    /// <summary>
    /// Runs the model. Tensors in <paramref name="input"/> are borrowed; every tensor in the returned
    /// <see cref="BackboneOutput"/> is new and owned by the caller (dispose the output). When
    /// <see cref="BackboneInput.Cache"/> is given, it is extended with this call's keys and values.
    /// </summary>
    /// <param name="input">Token ids or embeddings, attention mask, positions, cache.</param>
    BackboneOutput Forward(BackboneInput input);

    /// <summary>
    /// Embeds token ids with the model's input embedding table. New tensor <c>[batch, tokens, d]</c> owned by the
    /// caller; <paramref name="inputIds"/> is borrowed.
    /// </summary>
    /// <param name="inputIds">Token ids <c>[batch, tokens]</c>, int64.</param>
    torch.Tensor EmbedTokens(torch.Tensor inputIds);

    /// <summary>Creates an empty key/value cache for this model; the caller owns (disposes) it.</summary>
    IKvCache CreateCache();
}

/// <summary>How a backbone encodes token positions.</summary>
public enum PositionEncoding
{
    /// <summary>Rotary embeddings (Llama, Mistral): attention depends on relative positions only.</summary>
    Rotary,

    /// <summary>Learned absolute position embeddings (GPT-2, OPT).</summary>
    LearnedAbsolute,
}

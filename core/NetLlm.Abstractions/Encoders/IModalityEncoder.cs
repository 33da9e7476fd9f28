using TorchSharp;

namespace NetLlm.Abstractions.Encoders;

/// <summary>
/// Projects one input modality (a time series, scalars, a DAG, an image) into token-like embeddings that a
/// backbone consumes in place of word embeddings. Implementations are TorchSharp modules; their parameters are
/// trained together with the adapters.
/// </summary>
public interface IModalityEncoder
{
    /// <summary>Modality name: <c>series</c>, <c>scalar</c>, <c>graph</c>, <c>image</c>, ...</summary>
    string Modality { get; }

    /// <summary>Width <c>d</c> of every produced token.</summary>
    int EmbeddingDim { get; }

    /// <summary>Tokens produced per input item, or -1 when it varies (graphs).</summary>
    int TokensPerItem { get; }

    /// <summary>The module holding the encoder's parameters.</summary>
    torch.nn.Module Module { get; }
}

/// <summary>An encoder for a given input type.</summary>
/// <typeparam name="TInput">Input type, typically a <see cref="torch.Tensor"/> of shape <c>[batch, ...]</c>.</typeparam>
public interface IModalityEncoder<in TInput> : IModalityEncoder
{
    /// <summary>
    /// Encodes a batch. Returns a new tensor <c>[batch, tokens, EmbeddingDim]</c> owned by the caller;
    /// <paramref name="input"/> is borrowed and not disposed.
    /// </summary>
    /// <param name="input">The batch to encode.</param>
    torch.Tensor Encode(TInput input);
}

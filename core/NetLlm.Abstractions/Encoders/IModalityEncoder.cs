using TorchSharp;

namespace NetLlm.Abstractions.Encoders;

/// <summary>
/// Projects one input modality (a time series, scalars, a DAG, an image) into token-like embeddings that a backbone
/// consumes in place of word embeddings. Implementations are TorchSharp modules; their parameters are trained with
/// the adapters unless the slot freezes them. Created by an <see cref="IEncoderProvider"/> for a task's encoder slot.
/// </summary>
public interface IModalityEncoder
{
    /// <summary>Modality name: <c>series</c>, <c>scalar</c>, <c>graph</c>, <c>image</c>, ...</summary>
    string Modality { get; }

    /// <summary>Width of every produced token (or embedding).</summary>
    int EmbeddingDim { get; }

    /// <summary>The module holding the encoder's parameters.</summary>
    torch.nn.Module Module { get; }

    /// <summary>Tokens produced per input item, or -1 when it varies (graphs).</summary>
    int TokensPerItem => 1;
}

/// <summary>An encoder from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
/// <typeparam name="TInput">Input type, for example a <see cref="torch.Tensor"/> <c>[batch, ...]</c>.</typeparam>
/// <typeparam name="TOutput">Output type: tokens <c>[batch, tokens, EmbeddingDim]</c> as a tensor, or a structured encoding.</typeparam>
public interface IModalityEncoder<in TInput, out TOutput> : IModalityEncoder
{
    /// <summary>Encodes a batch. The result is new and owned by the caller; <paramref name="input"/> is borrowed.</summary>
    /// <param name="input">The batch.</param>
    TOutput Encode(TInput input);
}

/// <summary>An encoder of tensors into tokens <c>[batch, tokens, EmbeddingDim]</c>.</summary>
/// <typeparam name="TInput">Input type.</typeparam>
public interface IModalityEncoder<in TInput> : IModalityEncoder<TInput, torch.Tensor>
{
}

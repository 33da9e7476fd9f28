using NetLlm.Abstractions.Encoders;

namespace NetLlm.Abstractions.Models;

/// <summary>
/// What a task's tokenizer or supervised model is built with: the token width, the encoders the engine resolved for
/// its slots, and its heads. The heads are created after the tokenizer or model (so that parameters are created in
/// the order encoders, the task's own modules, heads); do not read <see cref="Head"/> in a constructor.
/// </summary>
public sealed class ModelContext
{
    private readonly IReadOnlyDictionary<string, IModalityEncoder> _encoders;
    private readonly Dictionary<string, INetworkingHead> _heads = new(StringComparer.Ordinal);

    /// <summary>Creates a context.</summary>
    /// <param name="embeddingDim">Token width d (the backbone's hidden size).</param>
    /// <param name="encoders">Encoders by slot name.</param>
    public ModelContext(int embeddingDim, IReadOnlyDictionary<string, IModalityEncoder> encoders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        EmbeddingDim = embeddingDim;
        _encoders = encoders ?? throw new ArgumentNullException(nameof(encoders));
    }

    /// <summary>Token width d.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The encoder of slot <paramref name="slot"/>, as the type the slot declared.</summary>
    /// <typeparam name="TEncoder">Expected encoder interface, for example <c>IModalityEncoder&lt;Tensor, Tensor&gt;</c>.</typeparam>
    /// <param name="slot">Slot name.</param>
    public TEncoder Encoder<TEncoder>(string slot)
        where TEncoder : class, IModalityEncoder
    {
        if (!_encoders.TryGetValue(slot, out var encoder))
        {
            throw new KeyNotFoundException($"the model has no encoder slot '{slot}'; slots: {string.Join(", ", _encoders.Keys)}");
        }

        return encoder as TEncoder
            ?? throw new InvalidOperationException($"encoder slot '{slot}' holds a {encoder.GetType().Name}, which is not a {typeof(TEncoder).Name}");
    }

    /// <summary>The head named <paramref name="name"/> (available once the engine created the heads).</summary>
    /// <param name="name">Head name.</param>
    public INetworkingHead Head(string name) =>
        _heads.TryGetValue(name, out var head)
            ? head
            : throw new InvalidOperationException($"head '{name}' does not exist yet (heads are created after the model) or is not declared");

    /// <summary>Called by the engine once the heads exist.</summary>
    /// <param name="name">Head name.</param>
    /// <param name="head">The head.</param>
    public void AddHead(string name, INetworkingHead head) => _heads.Add(name, head);
}

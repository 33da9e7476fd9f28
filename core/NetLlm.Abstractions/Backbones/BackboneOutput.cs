using TorchSharp;

namespace NetLlm.Abstractions.Backbones;

/// <summary>
/// Output of <see cref="IBackbone.Forward"/>. The caller owns every tensor here; <see cref="Dispose"/> releases
/// them all (take one out with <see cref="torch.Tensor.alias"/> or <c>DetachFromDisposeScope</c> patterns first if
/// it must outlive the output).
/// </summary>
public sealed class BackboneOutput : IDisposable
{
    /// <summary>Creates an output.</summary>
    /// <param name="lastHiddenState">Final (normed) hidden state <c>[batch, tokens, d]</c>.</param>
    /// <param name="hiddenStates">Optional per-layer states (embeddings first, final normed state last).</param>
    /// <param name="logits">Optional logits <c>[batch, tokens, vocab]</c>.</param>
    public BackboneOutput(torch.Tensor lastHiddenState, IReadOnlyList<torch.Tensor>? hiddenStates = null, torch.Tensor? logits = null)
    {
        LastHiddenState = lastHiddenState;
        HiddenStates = hiddenStates;
        Logits = logits;
    }

    /// <summary>Final hidden state <c>[batch, tokens, d]</c>, after the final norm.</summary>
    public torch.Tensor LastHiddenState { get; }

    /// <summary>
    /// When requested: <c>num_layers + 1</c> tensors, the input to the first layer first and the final normed state
    /// last (Hugging Face convention).
    /// </summary>
    public IReadOnlyList<torch.Tensor>? HiddenStates { get; }

    /// <summary>Logits <c>[batch, tokens, vocab]</c> when requested and the model has a head.</summary>
    public torch.Tensor? Logits { get; }

    /// <summary>Disposes every tensor of the output.</summary>
    public void Dispose()
    {
        var seen = new HashSet<torch.Tensor>(ReferenceEqualityComparer.Instance);
        void Release(torch.Tensor? t)
        {
            if (t is not null && seen.Add(t))
            {
                t.Dispose();
            }
        }

        Release(LastHiddenState);
        if (HiddenStates is not null)
        {
            foreach (var h in HiddenStates)
            {
                Release(h);
            }
        }

        Release(Logits);
    }
}

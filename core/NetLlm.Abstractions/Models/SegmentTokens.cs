using TorchSharp;

namespace NetLlm.Abstractions.Models;

/// <summary>Tokens of one segment for a batch of steps. Owns <see cref="Tokens"/>.</summary>
/// <param name="Tokens">Tokens <c>[n, maxTokens, d]</c>, padded at the end of each row.</param>
/// <param name="Lengths">Real tokens per row (each at least 1).</param>
public sealed record SegmentTokens(torch.Tensor Tokens, int[] Lengths) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Tokens.Dispose();
}

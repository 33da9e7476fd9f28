using NetLlm.Core.Modules;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Modules;

/// <summary>
/// Rotary position embeddings in the Hugging Face checkpoint layout ("rotate_half": the two halves of each head are
/// the real and imaginary parts), as <c>LlamaRotaryEmbedding</c> in transformers 4.34:
/// <c>inv_freq = 1 / theta^(arange(0, d, 2) / d)</c>, angles <c>position * inv_freq</c> in float32,
/// <c>emb = cat(freqs, freqs)</c>. Not a module: it holds no parameters and nothing of it is in the state dict.
/// Owns its <c>inv_freq</c> tensor (released by <see cref="Dispose"/>).
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _invFreq;
    private readonly double _positionDivisor;

    /// <summary>Creates the table for heads of width <paramref name="headDim"/>.</summary>
    /// <param name="headDim">Head width (even).</param>
    /// <param name="theta">Base (<c>rope_theta</c>).</param>
    /// <param name="positionDivisor">Linear rope scaling factor (1 for none).</param>
    /// <param name="device">Device of the angles.</param>
    public RotaryEmbedding(int headDim, double theta, double positionDivisor = 1.0, Device? device = null)
    {
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw new ArgumentException($"rotary embeddings need an even head dimension, got {headDim}", nameof(headDim));
        }

        HeadDim = headDim;
        Theta = theta;
        _positionDivisor = positionDivisor;
        using var scope = NewDisposeScope();
        var exponent = arange(0, headDim, 2, dtype: ScalarType.Float32, device: device) / headDim;
        var basis = full_like(exponent, theta);
        _invFreq = basis.pow(exponent).reciprocal().DetachFromDisposeScope();
    }

    /// <summary>Head width.</summary>
    public int HeadDim { get; }

    /// <summary>Base.</summary>
    public double Theta { get; }

    /// <summary>
    /// Cosines and signed sines for <paramref name="positionIds"/> <c>[batch, tokens]</c> (borrowed): two new tensors
    /// <c>[batch, 1, tokens, head_dim]</c> in <paramref name="dtype"/> (caller owns). The first half of the sines is
    /// negated: <see cref="Apply"/> folds the sign of <c>rotate_half</c> into them.
    /// </summary>
    /// <param name="positionIds">Integer positions.</param>
    /// <param name="dtype">Dtype of the result (the compute dtype).</param>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = positionIds.to_type(ScalarType.Float32);
        if (_positionDivisor != 1.0)
        {
            t = t.div(CachedScalars.Of(_positionDivisor));
        }

        var invFreq = _invFreq.device == positionIds.device ? _invFreq : _invFreq.to(positionIds.device);
        var freqs = t.unsqueeze(-1) * invFreq;
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to_type(dtype).unsqueeze(1);
        var sin = emb.sin();
        sin.narrow(-1, 0, HeadDim / 2).neg_();
        sin = sin.to_type(dtype).unsqueeze(1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Rotates <paramref name="x"/> <c>[batch, heads, tokens, head_dim]</c> (borrowed): <c>x*cos + rotate_half(x)*sin</c>
    /// with <c>rotate_half(x) = cat(-x2, x1)</c>, computed as <c>x*cos + roll(x, head_dim/2)*signed_sin</c> (two fused
    /// kernels and a copy instead of five, and a one-copy backward). Returns a new tensor (caller owns).
    /// </summary>
    /// <param name="x">Queries or keys.</param>
    /// <param name="cos">Cosines from <see cref="Compute"/>.</param>
    /// <param name="sin">Signed sines from <see cref="Compute"/>.</param>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var rotated = x.roll(x.shape[^1] / 2, -1);
        return (x * cos).addcmul(rotated, sin, CachedScalars.Of(1.0)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _invFreq.Dispose();
}

using System.Runtime.InteropServices;
using NetLlm.Core.Randomness;
using static TorchSharp.torch;

namespace NetLlm.Core.Modules;

/// <summary>
/// Inverted dropout (<c>x * mask / (1 - p)</c>, as <c>torch.nn.functional.dropout</c> in training) whose mask is
/// drawn on the CPU by a xoshiro256** stream instead of libtorch's <c>bernoulli_</c>. libtorch draws a Bernoulli
/// mask element by element through its serial generator and then divides it; on a LoRA training step of the
/// benchmark's tiny Llama that was about a tenth of the step (docs/platform.md). Here the mask is written once, in
/// the input's dtype, with the kept value <c>1/(1-p)</c> already applied, and the product is the only tensor pass.
/// The stream's seed is two draws from torch's default generator, so <c>manual_seed</c> (and a restored generator
/// state) still makes every mask repeatable. Other devices use <c>torch.nn.functional.dropout</c>.
/// </summary>
public static class InvertedDropout
{
    /// <summary>
    /// Applies dropout with drop probability <paramref name="p"/> to <paramref name="input"/> (borrowed); returns a
    /// new tensor (caller owns), or an alias of the input when not training or <paramref name="p"/> is 0.
    /// </summary>
    /// <param name="input">Activations.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="training">False returns the input unchanged (an alias).</param>
    public static Tensor Apply(Tensor input, double p, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (p is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        }

        if (!training || p == 0 || input.numel() == 0)
        {
            return input.alias();
        }

        if (input.device.type != TorchSharp.DeviceType.CPU || input.element_size() is not (2 or 4 or 8))
        {
            return nn.functional.dropout(input, p, training: true);
        }

        using var mask = Mask(input.shape, input.dtype, p);
        return input.mul(mask);
    }

    /// <summary>
    /// A new <paramref name="shape"/> tensor of <paramref name="dtype"/> (2, 4 or 8 bytes per element) holding 0 with
    /// probability <paramref name="p"/> and <c>1/(1-p)</c> otherwise; draws its seed from torch's default generator.
    /// </summary>
    /// <param name="shape">Mask shape.</param>
    /// <param name="dtype">Mask dtype.</param>
    /// <param name="p">Drop probability in (0, 1).</param>
    public static Tensor Mask(long[] shape, ScalarType dtype, double p)
    {
        ulong seed;
        using (var draws = randint(0, int.MaxValue, [2], dtype: ScalarType.Int64))
        {
            var d = draws.data<long>();
            seed = ((ulong)d[0] << 31) ^ (ulong)d[1];
        }

        var mask = empty(shape, dtype: dtype);
        var bytes = mask.bytes;
        using (var kept = tensor(1.0 / (1.0 - p)).to_type(dtype))
        {
            // Keep when a 32-bit uniform draw is at or above p * 2^32.
            var threshold = (ulong)Math.Round(p * 4294967296.0);
            var generator = new Xoshiro256StarStar(seed);
            switch (mask.element_size())
            {
                case 2:
                    Fill(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Read<ushort>(kept.bytes), threshold, ref generator);
                    break;
                case 4:
                    Fill(MemoryMarshal.Cast<byte, uint>(bytes), MemoryMarshal.Read<uint>(kept.bytes), threshold, ref generator);
                    break;
                default:
                    Fill(MemoryMarshal.Cast<byte, ulong>(bytes), MemoryMarshal.Read<ulong>(kept.bytes), threshold, ref generator);
                    break;
            }
        }

        return mask;
    }

    private static void Fill<T>(Span<T> mask, T kept, ulong threshold, ref Xoshiro256StarStar generator)
        where T : unmanaged
    {
        var i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            var r = generator.NextUInt64();
            mask[i] = (r & 0xFFFF_FFFF) >= threshold ? kept : default;
            mask[i + 1] = (r >> 32) >= threshold ? kept : default;
        }

        if (i < mask.Length)
        {
            mask[i] = (generator.NextUInt64() & 0xFFFF_FFFF) >= threshold ? kept : default;
        }
    }
}

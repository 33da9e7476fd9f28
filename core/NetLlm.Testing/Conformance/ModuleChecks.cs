using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Testing.Conformance;

/// <summary>Checks for encoders and networking heads.</summary>
public static class ModuleChecks
{
    /// <summary>
    /// The encoder returns <c>[batch, tokens, EmbeddingDim]</c> (tokens = <see cref="IModalityEncoder.TokensPerItem"/>
    /// when fixed), finite values, and gradients reach every parameter.
    /// </summary>
    /// <typeparam name="TInput">Input type.</typeparam>
    /// <param name="encoder">The encoder.</param>
    /// <param name="input">A batch.</param>
    /// <param name="batch">Batch size of <paramref name="input"/>.</param>
    public static void EncoderTokenShapes<TInput>(IModalityEncoder<TInput> encoder, TInput input, int batch)
    {
        using var scope = NewDisposeScope();
        var tokens = encoder.Encode(input);
        if (tokens.dim() != 3 || tokens.shape[0] != batch || tokens.shape[2] != encoder.EmbeddingDim)
        {
            throw new ConformanceException(nameof(EncoderTokenShapes), $"{encoder.Modality} encoder returned [{string.Join(", ", tokens.shape)}], expected [{batch}, tokens, {encoder.EmbeddingDim}]");
        }

        if (encoder.TokensPerItem > 0 && tokens.shape[1] != encoder.TokensPerItem)
        {
            throw new ConformanceException(nameof(EncoderTokenShapes), $"{encoder.Modality} encoder returned {tokens.shape[1]} tokens per item but declares {encoder.TokensPerItem}");
        }

        if (!tokens.isfinite().all().item<bool>())
        {
            throw new ConformanceException(nameof(EncoderTokenShapes), $"{encoder.Modality} encoder returned non-finite values");
        }

        tokens.sum().backward();
        var missing = encoder.Module.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is null).Select(p => p.name).ToList();
        if (missing.Count > 0)
        {
            throw new ConformanceException(nameof(EncoderTokenShapes), $"{encoder.Modality} encoder: no gradient reaches {string.Join(", ", missing)}");
        }
    }

    /// <summary>
    /// The head returns one row of <see cref="INetworkingHead.Outputs"/> finite values per feature row; with a mask of
    /// valid choices, every invalid choice scores below every valid one of its row (so argmax and sampling answer validly),
    /// and gradients reach every parameter.
    /// </summary>
    /// <param name="head">The head.</param>
    /// <param name="features">Features <c>[batch, InputDim]</c>.</param>
    /// <param name="validMask">Optional boolean mask <c>[batch, Outputs]</c> of valid choices (at least one per row).</param>
    public static void HeadRespectsMask(INetworkingHead head, Tensor features, Tensor? validMask = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(features);
        using var scope = NewDisposeScope();
        var output = head.Forward(features, validMask);
        if (output.dim() != 2 || output.shape[0] != features.shape[0] || output.shape[1] != head.Outputs)
        {
            throw new ConformanceException(nameof(HeadRespectsMask), $"head returned [{string.Join(", ", output.shape)}] for [{string.Join(", ", features.shape)}], expected [{features.shape[0]}, {head.Outputs}]");
        }

        if (!output.isfinite().all().item<bool>())
        {
            throw new ConformanceException(nameof(HeadRespectsMask), "head returned non-finite values");
        }

        if (validMask is not null)
        {
            var valid = validMask.to_type(ScalarType.Bool);
            var lowestValid = output.masked_fill(valid.logical_not(), double.PositiveInfinity).amin([1]);
            var highestInvalid = output.masked_fill(valid, double.NegativeInfinity).amax([1]);
            if (highestInvalid.ge(lowestValid).any().item<bool>())
            {
                throw new ConformanceException(nameof(HeadRespectsMask), "an invalid choice scores as high as a valid one");
            }
        }

        output.sum().backward();
        var missing = head.Module.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is null).Select(p => p.name).ToList();
        if (missing.Count > 0)
        {
            throw new ConformanceException(nameof(HeadRespectsMask), $"no gradient reaches {string.Join(", ", missing)}");
        }
    }
}

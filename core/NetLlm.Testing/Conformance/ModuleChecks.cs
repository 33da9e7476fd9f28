using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Heads;
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
    /// Every answer the head decodes (greedy and sampled) lies in its answer space, also with a validity mask, and
    /// <see cref="ILegacyNetworkingHead.Forward"/> returns one row per input row.
    /// </summary>
    /// <typeparam name="TAnswer">Answer type.</typeparam>
    /// <param name="head">The head.</param>
    /// <param name="features">Features <c>[batch, InputDim]</c>.</param>
    /// <param name="validMask">Optional mask of valid choices.</param>
    /// <param name="isValid">Optional extra validity check per row (for example against the mask).</param>
    public static void HeadAnswersValid<TAnswer>(ILegacyNetworkingHead<TAnswer> head, Tensor features, Tensor? validMask = null, Func<int, TAnswer, bool>? isValid = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var raw = head.Forward(features, validMask);
        if (raw.shape[0] != features.shape[0])
        {
            throw new ConformanceException(nameof(HeadAnswersValid), $"head returned {raw.shape[0]} rows for {features.shape[0]} inputs");
        }

        foreach (var decoding in new[] { HeadDecoding.Greedy, new HeadDecoding(true, new Random(3)) })
        {
            var answers = head.Decode(features, validMask, decoding);
            if (answers.Count != features.shape[0])
            {
                throw new ConformanceException(nameof(HeadAnswersValid), $"head decoded {answers.Count} answers for {features.shape[0]} inputs");
            }

            for (var i = 0; i < answers.Count; i++)
            {
                if (!head.AnswerSpace.Contains(answers[i]) || (isValid is not null && !isValid(i, answers[i])))
                {
                    throw new ConformanceException(nameof(HeadAnswersValid), $"row {i}: answer outside {head.AnswerSpace.Describe()} ({(decoding.Sample ? "sampled" : "greedy")})");
                }
            }
        }
    }
}

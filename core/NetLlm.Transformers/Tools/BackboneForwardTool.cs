using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Tools;

/// <summary>
/// <c>netllm backbone forward</c>: runs a backbone on numpy inputs and writes the requested output as float32
/// <c>.npy</c>, so results can be compared with other tools. Errors name the offending file.
/// </summary>
public static class BackboneForwardTool
{
    /// <summary>The accepted <see cref="BackboneForwardRequest.Output"/> values.</summary>
    public static IReadOnlyList<string> Outputs { get; } = ["last_hidden_state", "logits", "hidden_states"];

    /// <summary>Runs the request; returns the shape of the written array.</summary>
    /// <param name="backbone">The backbone (borrowed).</param>
    /// <param name="request">Input and output files.</param>
    public static long[] Run(IBackbone backbone, BackboneForwardRequest request)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(request);
        if ((request.InputIds is null) == (request.InputsEmbeds is null))
        {
            throw new ArgumentException("give exactly one of --input-ids and --inputs-embeds");
        }

        if (!Outputs.Contains(request.Output, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown output '{request.Output}'; use one of {string.Join(", ", Outputs)}");
        }

        using var scope = NewDisposeScope();
        var ids = request.InputIds is { } idsPath ? ReadIntegers(idsPath, "integer token ids [batch, tokens]", ScalarType.Int64, ScalarType.Int32) : null;
        var embeds = request.InputsEmbeds is { } embedsPath ? ReadFloats(embedsPath) : null;
        var mask = request.AttentionMask is { } maskPath ? ReadIntegers(maskPath, "an integer or bool attention mask [batch, tokens]", ScalarType.Int64, ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool) : null;
        Check(backbone, request, ids, embeds, mask);
        using var noGrad = no_grad();
        using var output = backbone.Forward(new BackboneInput
        {
            InputIds = ids,
            InputsEmbeds = embeds,
            AttentionMask = mask,
            OutputLogits = request.Output == "logits",
            OutputHiddenStates = request.Output == "hidden_states",
        });
        var result = request.Output switch
        {
            "logits" => output.Logits ?? throw new ArgumentException("the model has no language-model head, so there are no logits"),
            "hidden_states" => stack(output.HiddenStates!, 0),
            _ => output.LastHiddenState,
        };
        using var f32 = result.to_type(ScalarType.Float32).cpu();
        RequireFinite(backbone, f32);
        NpyFile.Write(request.OutputPath, f32);
        return f32.shape;
    }

    /// <summary>
    /// Finite inputs and finite weights can still overflow (a damaged weight of 1e38 passes every load check): a result
    /// with NaN or infinity is refused rather than written, naming the largest weight as the likely cause.
    /// </summary>
    private static void RequireFinite(IBackbone backbone, Tensor output)
    {
        var bad = TensorValues.NonFiniteCount(output);
        if (bad == 0)
        {
            return;
        }

        var (largest, name) = (0.0, "(none)");
        foreach (var (parameterName, parameter) in backbone.Module.named_parameters())
        {
            using var max = parameter.detach().abs().max();
            var value = max.to_type(ScalarType.Float64).item<double>();
            if (value > largest)
            {
                (largest, name) = (value, parameterName);
            }
        }

        throw new InvalidDataException(
            $"the forward pass produced {bad} NaN or infinite value(s) from finite inputs and weights (an overflow); the largest weight is {largest:G4} in '{name}': the checkpoint may be damaged");
    }

    /// <summary>
    /// Values the model would turn into a crash or a silently wrong output: token ids outside the vocabulary (an index
    /// error deep in the embedding), embeddings of the wrong width or with NaN/infinity (NaN outputs), a mask whose shape
    /// or values do not match.
    /// </summary>
    private static void Check(IBackbone backbone, BackboneForwardRequest request, Tensor? ids, Tensor? embeds, Tensor? mask)
    {
        if (ids is not null && ids.numel() > 0)
        {
            var low = ids.min().item<long>();
            var high = ids.max().item<long>();
            if (low < 0 || high >= backbone.Info.VocabSize)
            {
                var bad = low < 0 ? low : high;
                throw new InvalidDataException($"{request.InputIds}: token id {bad} is outside the vocabulary of the model (0 to {backbone.Info.VocabSize - 1})");
            }
        }

        if (embeds is not null)
        {
            if (embeds.shape[2] != backbone.HiddenSize)
            {
                throw new InvalidDataException($"{request.InputsEmbeds}: embeddings are {embeds.shape[2]} wide, the model's hidden size is {backbone.HiddenSize}");
            }

            if (TensorValues.NonFiniteCount(embeds) is > 0 and var count)
            {
                throw new InvalidDataException($"{request.InputsEmbeds}: {count} value(s) are NaN or infinite");
            }
        }

        if (mask is not null)
        {
            var tokens = ids ?? embeds!;
            if (mask.shape[0] != tokens.shape[0] || mask.shape[1] != tokens.shape[1])
            {
                throw new InvalidDataException($"{request.AttentionMask}: mask shape [{string.Join(", ", mask.shape)}] does not match the input's [batch, tokens] = [{tokens.shape[0]}, {tokens.shape[1]}]");
            }

            if (mask.numel() > 0 && (mask.min().item<long>() < 0 || mask.max().item<long>() > 1))
            {
                throw new InvalidDataException($"{request.AttentionMask}: mask values must be 0 (padding) or 1 (token)");
            }
        }
    }

    private static Tensor ReadIntegers(string path, string what, params ScalarType[] accepted)
    {
        var t = NpyFile.ReadTensor(path);
        if (t.dim() != 2 || !accepted.Contains(t.dtype))
        {
            throw new InvalidDataException($"{path}: expected {what} ({string.Join(", ", accepted)}), got {t.dtype} [{string.Join(", ", t.shape)}]");
        }

        return t.dtype == ScalarType.Int64 ? t : t.to_type(ScalarType.Int64);
    }

    private static Tensor ReadFloats(string path)
    {
        var t = NpyFile.ReadTensor(path);
        if (t.dim() != 3 || !t.is_floating_point())
        {
            throw new InvalidDataException($"{path}: expected floating input embeddings [batch, tokens, d], got {t.dtype} [{string.Join(", ", t.shape)}]");
        }

        return t.dtype == ScalarType.Float32 ? t : t.to_type(ScalarType.Float32);
    }
}

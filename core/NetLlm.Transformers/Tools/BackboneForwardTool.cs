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
        var ids = request.InputIds is { } idsPath ? ReadIntegers(idsPath, 2, "input ids [batch, tokens]") : null;
        var embeds = request.InputsEmbeds is { } embedsPath ? ReadFloats(embedsPath) : null;
        var mask = request.AttentionMask is { } maskPath ? ReadIntegers(maskPath, 2, "attention mask [batch, tokens]") : null;
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
            "logits" => output.Logits!,
            "hidden_states" => stack(output.HiddenStates!, 0),
            _ => output.LastHiddenState,
        };
        using var f32 = result.to_type(ScalarType.Float32).cpu();
        NpyFile.Write(request.OutputPath, f32);
        return f32.shape;
    }

    private static Tensor ReadIntegers(string path, int dims, string what)
    {
        var t = NpyFile.ReadTensor(path);
        if (t.dim() != dims || t.is_floating_point())
        {
            throw new InvalidDataException($"{path}: expected integer {what}, got {t.dtype} [{string.Join(", ", t.shape)}]");
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

        return t;
    }
}

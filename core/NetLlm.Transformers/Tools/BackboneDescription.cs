using System.Globalization;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;

namespace NetLlm.Transformers.Tools;

/// <summary><c>netllm backbone info</c>: a backbone's architecture facts as JSON and as a text summary.</summary>
public static class BackboneDescription
{
    /// <summary>Architecture, layers, widths, heads, parameter count, dtype, device and estimated parameter memory.</summary>
    /// <param name="backbone">The backbone (borrowed).</param>
    public static JsonObject ToJson(IBackbone backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var i = backbone.Info;
        return new JsonObject
        {
            ["family"] = i.Family,
            ["model_type"] = i.ModelType,
            ["architecture"] = i.Architecture,
            ["num_layers"] = i.NumLayers,
            ["hidden_size"] = i.HiddenSize,
            ["num_attention_heads"] = i.NumAttentionHeads,
            ["num_key_value_heads"] = i.NumKeyValueHeads,
            ["intermediate_size"] = i.IntermediateSize,
            ["vocab_size"] = i.VocabSize,
            ["max_position_embeddings"] = i.MaxPositionEmbeddings,
            ["position_encoding"] = backbone.PositionEncoding.ToString(),
            ["parameter_count"] = i.ParameterCount,
            ["dtype"] = i.DType,
            ["device"] = backbone.Device.ToString(),
            ["has_lm_head"] = i.HasLmHead,
            ["estimated_parameter_bytes"] = i.EstimatedParameterBytes,
        };
    }

    /// <summary>A few human-readable lines.</summary>
    /// <param name="backbone">The backbone (borrowed).</param>
    public static string ToText(IBackbone backbone)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var i = backbone.Info;
        var c = CultureInfo.InvariantCulture;
        return string.Join(Environment.NewLine,
            $"{i.Architecture} ({i.Family}, model_type {i.ModelType})",
            string.Create(c, $"layers {i.NumLayers}, hidden {i.HiddenSize}, heads {i.NumAttentionHeads} (kv {i.NumKeyValueHeads}), intermediate {i.IntermediateSize}, vocab {i.VocabSize}, positions {i.MaxPositionEmbeddings} ({backbone.PositionEncoding})"),
            string.Create(c, $"parameters {i.ParameterCount:N0}, dtype {i.DType}, device {backbone.Device}, estimated memory {i.EstimatedParameterBytes / (1024.0 * 1024.0 * 1024.0):F2} GiB"));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetLlm.Encoders.Vision;

/// <summary>The fields of a Hugging Face ViT <c>config.json</c> the encoder uses (defaults: ViT-B/16 at 224 pixels).</summary>
public sealed record VitConfig
{
    /// <summary>Token width.</summary>
    [JsonPropertyName("hidden_size")]
    public int HiddenSize { get; init; } = 768;

    /// <summary>Transformer layers.</summary>
    [JsonPropertyName("num_hidden_layers")]
    public int NumHiddenLayers { get; init; } = 12;

    /// <summary>Attention heads.</summary>
    [JsonPropertyName("num_attention_heads")]
    public int NumAttentionHeads { get; init; } = 12;

    /// <summary>MLP width.</summary>
    [JsonPropertyName("intermediate_size")]
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>MLP activation (only <c>gelu</c> is supported).</summary>
    [JsonPropertyName("hidden_act")]
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Layer-norm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")]
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary>Input image side, pixels.</summary>
    [JsonPropertyName("image_size")]
    public int ImageSize { get; init; } = 224;

    /// <summary>Patch side, pixels.</summary>
    [JsonPropertyName("patch_size")]
    public int PatchSize { get; init; } = 16;

    /// <summary>Image channels.</summary>
    [JsonPropertyName("num_channels")]
    public int NumChannels { get; init; } = 3;

    /// <summary>Whether the query, key and value projections have biases.</summary>
    [JsonPropertyName("qkv_bias")]
    public bool QkvBias { get; init; } = true;

    /// <summary>Hugging Face model type (<c>vit</c>).</summary>
    [JsonPropertyName("model_type")]
    public string ModelType { get; init; } = "vit";

    /// <summary>Number of patches per image.</summary>
    [JsonIgnore]
    public int Patches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> for unsupported values.</summary>
    /// <param name="source">Where the config came from (for messages).</param>
    public VitConfig Validate(string source)
    {
        if (ModelType != "vit")
        {
            throw new InvalidDataException($"{source}: model_type '{ModelType}' is not 'vit'");
        }

        if (HiddenSize < 1 || NumAttentionHeads < 1 || HiddenSize % NumAttentionHeads != 0)
        {
            throw new InvalidDataException($"{source}: hidden_size {HiddenSize} must be a positive multiple of num_attention_heads {NumAttentionHeads}");
        }

        if (NumHiddenLayers < 0 || IntermediateSize < 1 || NumChannels < 1)
        {
            throw new InvalidDataException($"{source}: num_hidden_layers, intermediate_size and num_channels must be valid (got {NumHiddenLayers}, {IntermediateSize}, {NumChannels})");
        }

        if (PatchSize < 1 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
        {
            throw new InvalidDataException($"{source}: image_size {ImageSize} must be a multiple of patch_size {PatchSize}");
        }

        if (HiddenAct != "gelu")
        {
            throw new InvalidDataException($"{source}: hidden_act '{HiddenAct}' is not supported (gelu)");
        }

        return this;
    }

    /// <summary>Serialises to JSON (a valid Hugging Face ViT config for these fields).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads <c>config.json</c>; errors name the file.</summary>
    /// <param name="path">Path of the config.</param>
    public static VitConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: not found (a ViT model folder holds config.json and model.safetensors)");
        }

        try
        {
            return (JsonSerializer.Deserialize<VitConfig>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty config")).Validate(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid ViT config: {e.Message}", e);
        }
    }
}

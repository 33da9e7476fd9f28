using NetLlm.Abstractions.Options;

namespace NetLlm.Encoders.Vision;

/// <summary>
/// Options of <c>encoder.vit</c>: a Hugging Face ViT folder to load, or the architecture of a randomly initialised
/// encoder (ViT-B/16 by default; tiny ones for tests). The width is the slot's and the image shape the slot's item
/// shape <c>[channels, side, side]</c>.
/// </summary>
public sealed record VitOptions
{
    /// <summary>Hugging Face ViT folder (<c>config.json</c>, <c>model.safetensors</c>), absolute or under the data root; null for random weights.</summary>
    [Option("Hugging Face ViT folder (config.json, model.safetensors), absolute or under the data root; random weights when not given")]
    public string? Model { get; init; }

    /// <summary>Transformer layers of a random encoder.</summary>
    [Option("transformer layers of a random encoder", Minimum = 0, Maximum = 1000)]
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads of a random encoder (they divide the width).</summary>
    [Option("attention heads of a random encoder (they divide the width)", Minimum = 1, Maximum = 1024)]
    public int Heads { get; init; } = 12;

    /// <summary>MLP width of a random encoder.</summary>
    [Option("MLP width of a random encoder", Minimum = 1, Maximum = 1048576)]
    public int Intermediate { get; init; } = 3072;

    /// <summary>Patch side in pixels of a random encoder (it divides the image side).</summary>
    [Option("patch side in pixels of a random encoder (it divides the image side)", Minimum = 1, Maximum = 4096)]
    public int PatchSize { get; init; } = 16;

    /// <summary>Seed of a random encoder's initialisation (it does not change the random stream of the rest of the model).</summary>
    [Option("seed of a random encoder's initialisation (the rest of the model's initialisation does not change)", Minimum = 0, Maximum = int.MaxValue)]
    public int Seed { get; init; }
}

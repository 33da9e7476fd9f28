using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava.Clip;

/// <summary>Hugging Face <c>CLIPVisionModel</c>: <c>vision_model</c>.</summary>
public sealed class ClipVisionModel : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipVisionTransformer vision_model;
#pragma warning restore IDE1006

    /// <summary>Creates the model.</summary>
    /// <param name="config">Vision config.</param>
    /// <param name="dtype">Parameter dtype.</param>
    /// <param name="device">Parameter device.</param>
    public ClipVisionModel(ClipVisionConfig config, ScalarType dtype, Device device)
        : base("CLIPVisionModel")
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        vision_model = new ClipVisionTransformer(config, dtype, device);
        RegisterComponents();
    }

    /// <summary>The config.</summary>
    public ClipVisionConfig Config { get; }

    /// <summary>The transformer.</summary>
    public ClipVisionTransformer VisionModel => vision_model;
}

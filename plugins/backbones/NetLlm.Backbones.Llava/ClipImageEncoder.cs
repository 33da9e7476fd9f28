using NetLlm.Abstractions.Encoders;
using NetLlm.Backbones.Llava.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// The CLIP vision tower plus LLaVa's projector as an image encoder: images <c>[batch, channels, size, size]</c> to
/// <c>[batch, patches (+1 with the class token), d]</c> tokens — the hidden state of the chosen vision layer, projected.
/// State dict: <c>vision_tower.*</c> and <c>multi_modal_projector.*</c> (the llava-hf names). Either owns its modules
/// (created by <see cref="ClipVisionEncoderProvider"/>; dispose the encoder) or shares a loaded
/// <see cref="LlavaBackbone"/>'s (then the backbone owns them).
/// </summary>
public sealed class ClipImageEncoder : nn.Module<Tensor, Tensor>, IModalityEncoder<Tensor>
{
#pragma warning disable IDE1006 // state-dict names
    private readonly ClipVisionModel vision_tower;
    private readonly LlavaMultiModalProjector multi_modal_projector;
#pragma warning restore IDE1006
    private readonly int _featureLayer;
    private readonly bool _keepClassToken;

    /// <summary>Creates the encoder over <paramref name="tower"/> and <paramref name="projector"/>.</summary>
    /// <param name="tower">Vision tower.</param>
    /// <param name="projector">Projector to the token width.</param>
    /// <param name="featureLayer">Hidden-state index of the tower (Hugging Face convention, negative from the end).</param>
    /// <param name="keepClassToken">Keep the class token (<c>full</c> strategy) or drop it (<c>default</c>).</param>
    public ClipImageEncoder(ClipVisionModel tower, LlavaMultiModalProjector projector, int featureLayer, bool keepClassToken)
        : base("ClipImageEncoder")
    {
        vision_tower = tower ?? throw new ArgumentNullException(nameof(tower));
        multi_modal_projector = projector ?? throw new ArgumentNullException(nameof(projector));
        _featureLayer = featureLayer;
        _keepClassToken = keepClassToken;
        var patches = tower.Config.PatchesPerSide * tower.Config.PatchesPerSide;
        TokensPerItem = patches + (keepClassToken ? 1 : 0);
        RegisterComponents();
    }

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public int EmbeddingDim => multi_modal_projector.OutputWidth;

    /// <inheritdoc />
    public int TokensPerItem { get; }

    /// <inheritdoc />
    public nn.Module Module => this;

    /// <inheritdoc />
    public Tensor Encode(Tensor input) => forward(input);

    /// <summary>Encodes images (borrowed) into new tokens (caller owns).</summary>
    /// <param name="input">Images <c>[batch, channels, size, size]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = vision_tower.VisionModel.HiddenState(input, _featureLayer);
        if (!_keepClassToken)
        {
            features = features.narrow(1, 1, features.shape[1] - 1);
        }

        return multi_modal_projector.forward(features).MoveToOuterDisposeScope();
    }
}

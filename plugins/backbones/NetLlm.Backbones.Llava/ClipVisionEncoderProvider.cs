using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Options;
using NetLlm.Backbones.Llava.Clip;
using NetLlm.Transformers.Modeling;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Llava;

/// <summary>
/// <c>encoder.clip-vision</c> (modality <c>image</c>): a randomly initialised (seeded) CLIP vision tower plus a
/// LLaVa-style projector to the slot's width, for tasks with image inputs. A slot's item shape <c>[channels, side,
/// side]</c> sets the image; the options set the tower. For the pretrained LLaVa-1.5 tower load the checkpoint with the
/// LLaVa backbone and use <see cref="LlavaBackbone.ImageEncoder"/>.
/// </summary>
public sealed class ClipVisionEncoderProvider : IEncoderProvider<ClipVisionOptions>
{
    /// <inheritdoc />
    public string Id => "encoder.clip-vision";

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public string Description => "CLIP vision transformer + projector: images [batch, channels, side, side] -> [batch, patches (+1), d]";

    /// <inheritdoc />
    public Type InputType => typeof(Tensor);

    /// <inheritdoc />
    public Type OutputType => typeof(Tensor);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, ClipVisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.ItemShape.Count != 3 || context.ItemShape[1] != context.ItemShape[2])
        {
            throw new ArgumentException($"{Id} encodes square images [channels, side, side], not [{string.Join(", ", context.ItemShape)}]");
        }

        if (context.Width < 1)
        {
            throw new ArgumentException($"{Id}: the slot's width must be positive, got {context.Width}");
        }

        var config = new ClipVisionConfig
        {
            ImageSize = checked((int)context.ItemShape[1]),
            PatchSize = options.PatchSize,
            HiddenSize = options.Hidden,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = options.Intermediate > 0 ? options.Intermediate : 4 * options.Hidden,
            NumChannels = checked((int)context.ItemShape[0]),
        };
        try
        {
            config.Validate(Id);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        if (options.FeatureLayer < -(config.NumHiddenLayers + 1) || options.FeatureLayer > config.NumHiddenLayers)
        {
            throw new ArgumentException($"{Id}: feature-layer {options.FeatureLayer} is outside the tower's {config.NumHiddenLayers + 1} hidden states");
        }

        var tower = new ClipVisionModel(config, ScalarType.Float32, CPU);
        var projector = new LlavaMultiModalProjector(options.Hidden, context.Width, "gelu", bias: true, ScalarType.Float32, CPU);
        var encoder = new ClipImageEncoder(tower, projector, options.FeatureLayer, options.KeepCls);
        WeightInitializer.Initialize(encoder, config.InitializerRange, options.Seed);
        return encoder;
    }
}

/// <summary>Options of <c>encoder.clip-vision</c>.</summary>
public sealed record ClipVisionOptions
{
    /// <summary>Patch side in pixels.</summary>
    [Option("patch side in pixels", Minimum = 1, Maximum = 4096)]
    public int PatchSize { get; init; } = 16;

    /// <summary>Vision width.</summary>
    [Option("vision width", Minimum = 1, Maximum = 65536)]
    public int Hidden { get; init; } = 256;

    /// <summary>Vision layers.</summary>
    [Option("vision layers", Minimum = 1, Maximum = 1024)]
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads.</summary>
    [Option("attention heads", Minimum = 1, Maximum = 1024)]
    public int Heads { get; init; } = 4;

    /// <summary>MLP width (0: four times the vision width).</summary>
    [Option("MLP width (0: 4 x hidden)", Minimum = 0, Maximum = 1_000_000)]
    public int Intermediate { get; init; }

    /// <summary>Hidden-state index fed to the projector, negative from the end (LLaVa: -2).</summary>
    [Option("hidden-state index fed to the projector, negative from the end (LLaVa: -2)", Minimum = -1025, Maximum = 1024)]
    public int FeatureLayer { get; init; } = -2;

    /// <summary>Keep the class token (LLaVa's "full" feature select).</summary>
    [Option("keep the class token (LLaVa's 'full' feature select)")]
    public bool KeepCls { get; init; }

    /// <summary>Initialisation seed.</summary>
    [Option("initialisation seed", Minimum = 0, Maximum = int.MaxValue)]
    public int Seed { get; init; }
}

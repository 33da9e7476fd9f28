using System.Globalization;
using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Tasks;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Vision;

/// <summary>
/// Provides <see cref="VitImageEncoder"/> as <c>encoder.vit</c> (modality <c>image</c>): frames
/// <c>[batch, channels, side, side]</c> (the slot's item shape) to the CLS feature <c>[batch, 1, width]</c> (the slot's
/// width). With <see cref="VitOptions.Model"/> it loads Hugging Face weights and checks them against the slot;
/// otherwise it builds a randomly initialised encoder of the options' architecture, seeded with
/// <see cref="VitOptions.Seed"/> without disturbing the global random stream (so the parameters created after it are
/// initialised as without it). Encoders are frozen.
/// </summary>
public sealed class VitEncoderProvider : IEncoderProvider<VitOptions>
{
    /// <summary>The encoder id.</summary>
    public const string EncoderId = "encoder.vit";

    /// <inheritdoc />
    public string Id => EncoderId;

    /// <inheritdoc />
    public string Modality => "image";

    /// <inheritdoc />
    public string Description => "frozen ViT (Hugging Face layout): images [batch, channels, side, side] -> CLS feature [batch, 1, width]";

    /// <inheritdoc />
    public Type InputType => typeof(Tensor);

    /// <inheritdoc />
    public Type OutputType => typeof(Tensor);

    /// <inheritdoc />
    public IModalityEncoder Create(EncoderContext context, VitOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var shape = context.ItemShape;
        if (shape.Count != 3 || shape[1] != shape[2] || shape.Any(s => s < 1 || s > int.MaxValue))
        {
            throw new ArgumentException($"{EncoderId} encodes square images [channels, side, side], not [{string.Join(", ", shape)}]");
        }

        var channels = (int)shape[0];
        var side = (int)shape[1];
        if (options.Model is { } model)
        {
            var folder = new TaskContext { DataRoot = context.DataRoot }.ResolvePath(model, $"{EncoderId} option --model");
            var loaded = VitImageEncoder.FromPretrained(folder);
            var config = loaded.Config;
            if (config.HiddenSize != context.Width || config.NumChannels != channels || config.ImageSize != side)
            {
                loaded.Dispose();
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{EncoderId} option --model: {folder} is a ViT of width {config.HiddenSize} over [{config.NumChannels}, {config.ImageSize}, {config.ImageSize}] images; the slot needs width {context.Width} over [{channels}, {side}, {side}]"));
            }

            return loaded;
        }

        var architecture = new VitConfig
        {
            HiddenSize = context.Width,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = options.Intermediate,
            ImageSize = side,
            PatchSize = options.PatchSize,
            NumChannels = channels,
        };
        try
        {
            architecture.Validate($"{EncoderId} options");
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        using var state = random.get_rng_state();
        try
        {
            random.manual_seed(options.Seed);
            return new VitImageEncoder(architecture);
        }
        finally
        {
            random.set_rng_state(state);
        }
    }
}

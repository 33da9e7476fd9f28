using NetLlm.Abstractions.Models;
using NetLlm.Encoders.Standard;
using NetLlm.Tasks.ViewportPrediction.Data;
using NetLlm.Tasks.ViewportPrediction.Policies;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// The NetLLM viewport model as the engine assembles it, in the original's parameter order: the encoder slot
/// <c>vp_encoder</c> (one step's (roll, pitch, yaw), <c>[1, 3]</c>; default <c>encoder.series-cnn</c> with kernel 3
/// and <c>--conv-channels</c> channels), with <c>--image-token</c> the frozen encoder slot <c>image</c> (a frame
/// <c>[3, side, side]</c> to its feature of width <c>--image-feature-dim</c>; default <c>encoder.vit</c>), then the
/// model's <c>embed_multimodal</c> and <c>embed_ln</c>, then the bounded head <c>networking_head</c> (3 outputs).
/// </summary>
public static class VpModelDesign
{
    /// <summary>The viewport encoder's slot.</summary>
    public const string ViewportSlot = "vp_encoder";

    /// <summary>The image encoder's slot (with <c>--image-token</c>).</summary>
    public const string ImageSlot = "image";

    /// <summary>The head.</summary>
    public const string HeadName = "networking_head";

    /// <summary>Default encoder of the viewport slot.</summary>
    public const string DefaultViewportEncoder = "encoder.series-cnn";

    /// <summary>Default encoder of the image slot.</summary>
    public const string DefaultImageEncoder = "encoder.vit";

    /// <summary>The design for <paramref name="options"/>.</summary>
    /// <param name="options">Model options.</param>
    public static PredictionModelDesign<ViewportSample, VpHistory, VpPrediction> For(VpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ResidualScale != 1 && !options.ResidualHead)
        {
            throw new ArgumentException("model option --residual-scale scales the residual head's displacement and needs --residual-head");
        }

        var viewport = new EncoderSlot(ViewportSlot, "series", typeof(Tensor), typeof(Tensor), [1, 3], DefaultViewportEncoder,
            "one step's normalised (roll, pitch, yaw) [1, 3] -> one token")
        {
            DefaultOptions = new SeriesCnnOptions { Channels = options.ConvChannels, Kernel = 3 },
        };
        IReadOnlyList<EncoderSlot> encoders = options.UseImageToken
            ?
            [
                viewport,
                new EncoderSlot(ImageSlot, "image", typeof(Tensor), typeof(Tensor), FrameShape(options), DefaultImageEncoder,
                    "the frame at the prediction start [3, side, side], values in [0, 1] -> its feature (precomputed features bypass it)")
                {
                    Width = options.ImageFeatureDim,
                    Frozen = true,
                },
            ]
            : [viewport];
        return new PredictionModelDesign<ViewportSample, VpHistory, VpPrediction>
        {
            Encoders = encoders,
            Heads =
            [
                options.ResidualHead
                    ? new HeadSlot(HeadName, HeadKind.Bounded, 3, "displacement of roll, pitch and yaw from the last observed step, normalised units") { Create = ZeroHead }
                    : new HeadSlot(HeadName, HeadKind.Bounded, 3, "roll, pitch and yaw of the next step in normalised units"),
            ],
            CreateModel = context => new VpModel(context, options),
        };
    }

    /// <summary>The residual head: the usual bounded linear head with zero weights, so it first predicts no displacement.</summary>
    private static INetworkingHead ZeroHead(int inputDim)
    {
        var head = new NetLlm.Core.Heads.LinearHead(inputDim, 3, HeadKind.Bounded);
        using var noGrad = no_grad();
        foreach (var parameter in head.parameters())
        {
            parameter.zero_();
        }

        return head;
    }

    /// <summary>Shape of a frame the image encoder takes: <c>[3, side, side]</c>.</summary>
    /// <param name="options">Model options.</param>
    public static IReadOnlyList<long> FrameShape(VpModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [3, options.ImageSize, options.ImageSize];
    }
}

using NetLlm.Abstractions.Options;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// Options of the NetLLM viewport model (<c>adapt</c>; recorded in the run directory and read back when the run is
/// tested).
/// </summary>
public sealed record VpModelOptions
{
    /// <summary>Probability of training a batch autoregressively instead of with teacher forcing (scheduled sampling).</summary>
    [Option("probability of training a batch autoregressively instead of with teacher forcing (scheduled sampling)", Minimum = 0, Maximum = 1, Verbs = VerbScope.Adapt)]
    public double MixRate { get; init; } = 0.04;

    /// <summary>
    /// Prepend one image token: the frame at the prediction start, encoded by the <c>image</c> encoder slot (or its
    /// precomputed feature) and projected by <c>embed_multimodal</c>.
    /// </summary>
    [Option("prepend one image token (the frame at the prediction start; needs --frames or --image-features)", Name = "image-token", Verbs = VerbScope.Adapt)]
    public bool UseImageToken { get; init; }

    /// <summary>Width of an image feature: the image encoder's output (768 for ViT-B/16's CLS feature).</summary>
    [Option("width of an image feature, the image encoder's output (768 for ViT-B/16)", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int ImageFeatureDim { get; init; } = 768;

    /// <summary>Side of the square frames the image encoder takes, pixels.</summary>
    [Option("side of the square frames the image encoder takes, pixels", Minimum = 1, Maximum = 4096, Verbs = VerbScope.Adapt)]
    public int ImageSize { get; init; } = 224;

    /// <summary>Convolution channels of the viewport encoder (the original: 256).</summary>
    [Option("convolution channels of the viewport encoder (the default encoder.series-cnn's --channels)", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Adapt)]
    public int ConvChannels { get; init; } = 256;

    /// <summary>
    /// Not in the original: the head predicts each future step as a displacement from the last observed orientation,
    /// and starts at zero, so an untrained model is the persistence baseline and training can only move away from it
    /// where the data says so.
    /// </summary>
    [Option("predict each future step as a displacement from the last observed orientation; the head starts at zero, i.e. as persistence (not in the original)", Name = "residual-head", Verbs = VerbScope.Adapt)]
    public bool ResidualHead { get; init; }

    /// <summary>
    /// With <see cref="ResidualHead"/>: the head's displacement is multiplied by this factor. Adam moves every weight of
    /// the zero-initialised head by about the learning rate per step whatever the gradient, so the head's output moves
    /// by up to d × lr × |h| per step; a small factor shrinks the head's steps (and its largest displacement) in
    /// proportion, so early updates cannot undo the persistence solution.
    /// </summary>
    [Option("with --residual-head: factor on the head's displacement (smaller = smaller head steps under Adam; the largest displacement is this many normalised units)", Name = "residual-scale", Minimum = 1e-6, Maximum = 1, Verbs = VerbScope.Adapt)]
    public double ResidualScale { get; init; } = 1;

    /// <summary>
    /// The training and validation loss. <see cref="VpLoss.Mse"/> is the original's MSE of normalised coordinates,
    /// which counts a head turning across ±180° of yaw as a turn of nearly 360°: measured on Jin2022's training windows
    /// (persistence), 9.7 % of the windows cross ±180° and make 72 % of that MSE, while the test metric
    /// (<c>AngularError</c>) wraps. The angular losses wrap each difference to ±180° first (not in the original).
    /// </summary>
    [Option("training and validation loss: mse (the original's, of normalised coordinates), angular-mse (of differences wrapped to +-180 degrees, in normalised units) or angular-mae (the test metric: wrapped absolute error in degrees) (angular: not in the original)", Verbs = VerbScope.Adapt)]
    public VpLoss Loss { get; init; } = VpLoss.Mse;

    /// <summary>
    /// The original's behaviour: tokens appended during autoregressive decoding skip the layer norm that teacher
    /// forcing applies (a train/test mismatch). Off by default (every token is normalised).
    /// </summary>
    [Option("the original's behaviour: tokens appended while decoding skip the layer norm", Name = "original-skip-ln-on-appended", Verbs = VerbScope.Adapt)]
    public bool OriginalSkipLayerNormOnAppended { get; init; }

    /// <summary>
    /// Not in the original: each training window is turned about the vertical axis by a random yaw (and with
    /// <see cref="VpAugmentation.YawRotationMirror"/> mirrored left-right with probability 1/2: yaw and roll negated),
    /// history and future alike, so that the model learns motion rather than where Jin2022's viewers tend to look.
    /// Validation and tests see the windows as they are.
    /// </summary>
    [Option("training windows turned by a random yaw (none, yaw-rotation, yaw-rotation-mirror: also mirrored left-right half the time); not with --image-token (not in the original)", Verbs = VerbScope.Adapt)]
    public VpAugmentation Augment { get; init; } = VpAugmentation.None;

    /// <summary>The original's behaviour: the viewport encoder's convolution (<c>conv.*</c>) is never trained.</summary>
    [Option("the original's behaviour: the viewport encoder's convolution (conv.*) is never trained", Name = "freeze-vp-conv", Verbs = VerbScope.Adapt)]
    public bool FreezeViewportConvolution { get; init; }
}

/// <summary>The VP model's training and validation loss (<see cref="VpModelOptions.Loss"/>).</summary>
public enum VpLoss
{
    /// <summary>The original's: MSE of normalised coordinates.</summary>
    Mse,

    /// <summary>MSE of the differences wrapped to ±180°, in normalised units.</summary>
    AngularMse,

    /// <summary>The test metric: mean absolute difference wrapped to ±180°, in degrees.</summary>
    AngularMae,
}

/// <summary>How training windows are augmented (<see cref="VpModelOptions.Augment"/>).</summary>
public enum VpAugmentation
{
    /// <summary>As they are (the original).</summary>
    None,

    /// <summary>Every window turned by a yaw drawn uniformly from [-180°, 180°).</summary>
    YawRotation,

    /// <summary>Turned as <see cref="YawRotation"/>, and mirrored left-right (yaw and roll negated) with probability 1/2.</summary>
    YawRotationMirror,
}

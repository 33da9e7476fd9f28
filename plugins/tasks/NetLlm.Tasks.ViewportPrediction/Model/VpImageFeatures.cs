using NetLlm.Abstractions.Encoders;
using NetLlm.Tasks.ViewportPrediction.Data;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Model;

/// <summary>
/// The image encoder's outputs for a batch of frames: a precomputed feature is taken as it is (it is what the encoder
/// outputs, cached in a file), pixels are encoded by the <c>image</c> slot's encoder — once per frame, since the slot
/// is frozen the output of a frame never changes — and kept in memory by the frame's key.
/// </summary>
internal sealed class VpImageFeatures
{
    private readonly IModalityEncoder<Tensor> _encoder;
    private readonly IReadOnlyList<long> _pixelShape;
    private readonly Dictionary<string, float[]> _encoded = new(StringComparer.Ordinal);

    /// <summary>Creates the feature source.</summary>
    /// <param name="encoder">The image slot's encoder (frozen).</param>
    /// <param name="featureDim">Width of a feature.</param>
    /// <param name="pixelShape">Shape of a frame the encoder takes, <c>[channels, side, side]</c>.</param>
    public VpImageFeatures(IModalityEncoder<Tensor> encoder, int featureDim, IReadOnlyList<long> pixelShape)
    {
        _encoder = encoder;
        FeatureDim = featureDim;
        _pixelShape = pixelShape;
    }

    /// <summary>Width of a feature.</summary>
    public int FeatureDim { get; }

    /// <summary>Frames encoded so far (distinct keys).</summary>
    public int EncodedFrames => _encoded.Count;

    /// <summary>
    /// Features <c>[batch, FeatureDim]</c> (a new tensor owned by the caller) of one image per sample. Throws
    /// <see cref="ArgumentException"/> naming the sample when it has no image or one of the wrong width or shape.
    /// </summary>
    /// <param name="images">One image per sample.</param>
    /// <param name="device">Device of the result.</param>
    /// <param name="describe">Names sample i for messages.</param>
    public Tensor Of(IReadOnlyList<VpImage?> images, Device device, Func<int, string> describe)
    {
        var missing = new List<VpImage>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i] ?? throw new ArgumentException($"vp model uses an image token but {describe(i)} has no image (give --image-features or --frames)");
            if (image.Feature is { } feature)
            {
                if (feature.Length != FeatureDim)
                {
                    throw new ArgumentException($"vp model: {describe(i)} has an image feature of width {feature.Length} from {image.Source}, expected {FeatureDim} (--image-feature-dim)");
                }
            }
            else if (!_encoded.ContainsKey(image.Key) && missing.All(m => m.Key != image.Key))
            {
                CheckPixels(image);
                missing.Add(image);
            }
        }

        Encode(missing);
        var data = new float[images.Count * FeatureDim];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i]!;
            (image.Feature ?? _encoded[image.Key]).CopyTo(data, i * FeatureDim);
        }

        return tensor(data, [images.Count, FeatureDim], device: device);
    }

    private void CheckPixels(VpImage image)
    {
        if (!image.PixelShape.Select(s => (long)s).SequenceEqual(_pixelShape))
        {
            throw new ArgumentException(
                $"vp model: {image.Key} in {image.Source} has frames of shape [{string.Join(", ", image.PixelShape)}]; the image encoder takes [{string.Join(", ", _pixelShape)}] (--image-size)");
        }
    }

    private void Encode(List<VpImage> images)
    {
        if (images.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var size = images[0].Pixels!.Length;
        var pixels = new float[images.Count * size];
        for (var i = 0; i < images.Count; i++)
        {
            images[i].Pixels!.CopyTo(pixels, i * size);
        }

        var output = _encoder.Encode(tensor(pixels, [images.Count, .. _pixelShape]));
        if (output.numel() != (long)images.Count * FeatureDim)
        {
            throw new InvalidOperationException(
                $"vp model: the image encoder gave [{string.Join(", ", output.shape)}] for {images.Count} frames; the image token needs one feature of width {FeatureDim} per frame (--image-feature-dim)");
        }

        var values = output.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        for (var i = 0; i < images.Count; i++)
        {
            _encoded[images[i].Key] = values.AsSpan(i * FeatureDim, FeatureDim).ToArray();
        }
    }
}

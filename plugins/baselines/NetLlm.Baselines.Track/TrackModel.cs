using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Baselines.Track;

/// <summary>
/// TRACK (Rondón et al.) as the original ports it (<c>models/track.py</c>): LSTMs of width 256 — position encoder
/// <c>sense_pos_enc</c> LSTM(3), saliency encoder <c>sense_sal_enc</c> LSTM(H·W) over flattened saliency maps, fusion
/// <c>fuse_1_enc</c> LSTM(512); decoder counterparts <c>sense_pos_dec</c>, <c>sense_sal_dec</c>, <c>fuse_1_dec</c>,
/// then <c>fuse_2</c> Linear(256, 256) and <c>fc_layer_out</c> Linear(256, 3). Each decoder step outputs
/// input position + delta and feeds it back; the fusion decoder always starts from the encoder's final fusion state
/// (as the original). With <c>saliency = 0</c> (no images available) the saliency branch is absent and the fusion
/// LSTMs read the 256 position features only.
/// </summary>
public sealed class TrackModel : nn.Module
{
    /// <summary>Hidden width of every LSTM.</summary>
    public const int Hidden = 256;

#pragma warning disable IDE1006 // state-dict names of the original
    private readonly LSTM sense_pos_enc;
    private readonly LSTM? sense_sal_enc;
    private readonly LSTM fuse_1_enc;
    private readonly LSTM sense_pos_dec;
    private readonly LSTM? sense_sal_dec;
    private readonly LSTM fuse_1_dec;
    private readonly Linear fuse_2;
    private readonly Linear fc_layer_out;
#pragma warning restore IDE1006

    /// <summary>Creates the model (PyTorch default initialisation from the global generator).</summary>
    /// <param name="saliencyHeight">Saliency map height (224 in the original), 0 for the position-only model.</param>
    /// <param name="saliencyWidth">Saliency map width (224 in the original), 0 for the position-only model.</param>
    /// <param name="device">Device of the parameters (may be <c>meta</c> for shape checks).</param>
    public TrackModel(int saliencyHeight = 0, int saliencyWidth = 0, Device? device = null)
        : base(nameof(TrackModel))
    {
        if (saliencyHeight < 0 || saliencyWidth < 0 || (saliencyHeight == 0) != (saliencyWidth == 0))
        {
            throw new ArgumentException($"track: saliency size {saliencyHeight}x{saliencyWidth} must be both positive or both 0");
        }

        SaliencyHeight = saliencyHeight;
        SaliencyWidth = saliencyWidth;
        var fuseInput = UsesSaliency ? 2 * Hidden : Hidden;
        sense_pos_enc = nn.LSTM(3, Hidden, batchFirst: true, device: device);
        fuse_1_enc = nn.LSTM(fuseInput, Hidden, batchFirst: true, device: device);
        sense_pos_dec = nn.LSTM(3, Hidden, batchFirst: true, device: device);
        fuse_1_dec = nn.LSTM(fuseInput, Hidden, batchFirst: true, device: device);
        if (UsesSaliency)
        {
            sense_sal_enc = nn.LSTM(SaliencySize, Hidden, batchFirst: true, device: device);
            sense_sal_dec = nn.LSTM(SaliencySize, Hidden, batchFirst: true, device: device);
        }

        fuse_2 = nn.Linear(Hidden, Hidden, device: device);
        fc_layer_out = nn.Linear(Hidden, 3, device: device);
        RegisterComponents();
    }

    /// <summary>Saliency map height (0 without the saliency branch).</summary>
    public int SaliencyHeight { get; }

    /// <summary>Saliency map width (0 without the saliency branch).</summary>
    public int SaliencyWidth { get; }

    /// <summary>Flattened saliency size H·W.</summary>
    public int SaliencySize => SaliencyHeight * SaliencyWidth;

    /// <summary>True when the model has the saliency branch.</summary>
    public bool UsesSaliency => SaliencySize > 0;

    /// <summary>
    /// Predicts <paramref name="horizon"/> positions. All inputs are borrowed; returns a new <c>[batch, horizon, 3]</c>
    /// tensor owned by the caller.
    /// </summary>
    /// <param name="encoderPositions">History positions <c>[batch, M, 3]</c>.</param>
    /// <param name="encoderSaliency">History saliency maps <c>[batch, M, H, W(, 1)]</c>, or null without the branch.</param>
    /// <param name="decoderStart">First decoder input <c>[batch, 1, 3]</c>.</param>
    /// <param name="decoderSaliency">Future saliency maps <c>[batch, horizon, H, W(, 1)]</c>, or null without the branch.</param>
    /// <param name="horizon">Steps to predict.</param>
    public Tensor Forward(Tensor encoderPositions, Tensor? encoderSaliency, Tensor decoderStart, Tensor? decoderSaliency, int horizon)
    {
        if (UsesSaliency != (encoderSaliency is not null) || UsesSaliency != (decoderSaliency is not null))
        {
            throw new ArgumentException(UsesSaliency
                ? $"track: this model has the saliency branch ({SaliencyHeight}x{SaliencyWidth}); give encoder and decoder saliency maps"
                : "track: this model has no saliency branch; saliency maps must be null");
        }

        if (encoderPositions.dim() != 3 || encoderPositions.shape[2] != 3 || decoderStart.dim() != 3 || decoderStart.shape[1] != 1 || decoderStart.shape[2] != 3)
        {
            throw new ArgumentException($"track: positions must be [batch, M, 3] and the decoder start [batch, 1, 3], got [{string.Join(", ", encoderPositions.shape)}] and [{string.Join(", ", decoderStart.shape)}]");
        }

        using var scope = NewDisposeScope();
        var (encPos, h1, c1) = sense_pos_enc.forward(encoderPositions);
        Tensor fuseInput = encPos;
        Tensor? h2 = null, c2 = null;
        Tensor? decSalFlat = null;
        if (UsesSaliency)
        {
            var encSalFlat = FlattenSaliency(encoderSaliency!, "encoder", encoderPositions.shape[1]);
            decSalFlat = FlattenSaliency(decoderSaliency!, "decoder", horizon);
            (var encSal, h2, c2) = sense_sal_enc!.forward(encSalFlat);
            fuseInput = cat([encSal, encPos], -1);
        }

        var (_, hFuse, cFuse) = fuse_1_enc.forward(fuseInput);
        var outputs = new List<Tensor>(horizon);
        var input = decoderStart;
        for (var t = 0; t < horizon; t++)
        {
            (var decPos, h1, c1) = sense_pos_dec.forward(input, (h1, c1));
            Tensor decoderFuseInput = decPos;
            if (UsesSaliency)
            {
                var salStep = decSalFlat!.narrow(1, t, 1);
                (var decSal, h2, c2) = sense_sal_dec!.forward(salStep, (h2!, c2!));
                decoderFuseInput = cat([decSal, decPos], -1);
            }

            var (fused, _, _) = fuse_1_dec.forward(decoderFuseInput, (hFuse, cFuse));
            var delta = fc_layer_out.forward(fuse_2.forward(fused));
            var prediction = input + delta;
            outputs.Add(prediction);
            input = prediction;
        }

        return cat(outputs, 1).MoveToOuterDisposeScope();
    }

    private Tensor FlattenSaliency(Tensor maps, string which, long steps)
    {
        if (maps.dim() < 3 || maps.shape[1] < steps || maps.shape.Skip(2).Aggregate(1L, (a, b) => a * b) != SaliencySize)
        {
            throw new ArgumentException($"track: {which} saliency maps must be [batch, {steps}, {SaliencyHeight}, {SaliencyWidth}(, 1)], got [{string.Join(", ", maps.shape)}]");
        }

        return maps.reshape(maps.shape[0], maps.shape[1], SaliencySize).to(ScalarType.Float32);
    }
}

using NetLlm.Abstractions.Models;
using NetLlm.Encoders.Standard;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;
using static TorchSharp.torch;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// The NetLLM ABR model as slots: six encoder slots, one per feature of the Pensieve state, filled by default with the
/// standard encoders (<c>encoder.scalar-mlp</c>: Linear(1, w) + LeakyReLU + Linear(w, d) for the last bitrate, the
/// buffer and the remaining-chunk fraction; <c>encoder.series-cnn</c>: Conv1d(1, w, conv_size) + LeakyReLU + flatten +
/// Linear for the throughput and download-time histories, Conv1d(1, w, 6) + Linear for the next chunk sizes), the
/// <see cref="AbrTokenizer"/> (its action embedding) and the categorical head <c>action_head</c> over the 6 bitrates.
/// The state-dict names and creation order are those of the original model.
/// </summary>
public static class AbrModelDesign
{
    /// <summary>Slot of the newest last bitrate (row 0).</summary>
    public const string LastBitrate = "last_bitrate";

    /// <summary>Slot of the newest buffer level (row 1).</summary>
    public const string Buffer = "buffer";

    /// <summary>Slot of the throughput history (row 2).</summary>
    public const string Throughput = "throughput";

    /// <summary>Slot of the download-time history (row 3).</summary>
    public const string Delay = "delay";

    /// <summary>Slot of the next chunk sizes at the 6 levels (row 4).</summary>
    public const string ChunkSizes = "chunk_sizes";

    /// <summary>Slot of the newest remaining-chunk fraction (row 5).</summary>
    public const string Remaining = "remaining";

    /// <summary>The tokenizer's action embedding.</summary>
    public const string EmbedAction = "embed_action";

    /// <summary>The head over the bitrates.</summary>
    public const string ActionHead = "action_head";

    private const string ScalarMlp = "encoder.scalar-mlp";
    private const string SeriesCnn = "encoder.series-cnn";

    /// <summary>The design for <paramref name="options"/>.</summary>
    /// <param name="options">Encoder width and conv size.</param>
    public static DecisionModelDesign<AbrObservation> Create(AbrModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scalar = new ScalarMlpOptions { Hidden = options.StateFeatureDim };
        var history = new SeriesCnnOptions { Channels = options.StateFeatureDim, Kernel = options.ConvSize };
        var sizes = new SeriesCnnOptions { Channels = options.StateFeatureDim, Kernel = AbrConstants.BitrateLevels };
        long[] one = [1];
        long[] series = [1, AbrConstants.StateColumns];
        return new DecisionModelDesign<AbrObservation>
        {
            Encoders =
            [
                Slot(LastBitrate, "scalar", one, ScalarMlp, scalar, "bitrate of the last chunk / 4300 kbps: [n, 1]"),
                Slot(Buffer, "scalar", one, ScalarMlp, scalar, "buffer level / 10 s: [n, 1]"),
                Slot(Throughput, "series", series, SeriesCnn, history, "throughput of the last 6 chunks, MB/s: [n, 1, 6]"),
                Slot(Delay, "series", series, SeriesCnn, history, "download time of the last 6 chunks / 10 s: [n, 1, 6]"),
                Slot(ChunkSizes, "series", [1, AbrConstants.BitrateLevels], SeriesCnn, sizes, "next chunk's size at the 6 levels, MB: [n, 1, 6]"),
                Slot(Remaining, "scalar", one, ScalarMlp, scalar, "chunks remaining / 48: [n, 1]"),
            ],
            Heads = [new HeadSlot(ActionHead, HeadKind.Categorical, AbrConstants.BitrateLevels, "bitrate level of the next chunk (0 to 5)")],
            CreateTokenizer = context => new AbrTokenizer(context),
        };
    }

    private static EncoderSlot Slot(string name, string modality, long[] itemShape, string encoder, object options, string description) =>
        new(name, modality, typeof(Tensor), typeof(Tensor), itemShape, encoder, description) { DefaultOptions = options };
}

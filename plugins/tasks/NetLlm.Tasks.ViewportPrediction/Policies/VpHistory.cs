using NetLlm.Tasks.ViewportPrediction.Data;

namespace NetLlm.Tasks.ViewportPrediction.Policies;

/// <summary>
/// What a viewport predictor sees: a viewer's past orientation and how many future rows to predict (the ground
/// truth is not included). Angles are row-major <c>[HistoryLength, 3]</c> roll, pitch, yaw in degrees.
/// </summary>
public sealed class VpHistory
{
    /// <summary>Creates a history.</summary>
    /// <param name="dataset">Dataset name.</param>
    /// <param name="video">Video number.</param>
    /// <param name="viewer">Viewer number.</param>
    /// <param name="timestep">Row where the future starts.</param>
    /// <param name="angles">History <c>[rows, 3]</c> in degrees.</param>
    /// <param name="futureLength">Rows to predict.</param>
    public VpHistory(string dataset, int video, int viewer, int timestep, float[] angles, int futureLength)
    {
        if (angles.Length < 3 || angles.Length % 3 != 0)
        {
            throw new ArgumentException($"{dataset} video {video} viewer {viewer} t={timestep}: history must hold whole (roll, pitch, yaw) rows, got {angles.Length} values");
        }

        if (futureLength < 1)
        {
            throw new ArgumentException($"{dataset} video {video} viewer {viewer} t={timestep}: future length {futureLength} must be positive");
        }

        Dataset = dataset;
        Video = video;
        Viewer = viewer;
        Timestep = timestep;
        Angles = angles;
        FutureLength = futureLength;
    }

    /// <summary>Dataset name.</summary>
    public string Dataset { get; }

    /// <summary>Video number.</summary>
    public int Video { get; }

    /// <summary>Viewer number.</summary>
    public int Viewer { get; }

    /// <summary>Row where the future starts.</summary>
    public int Timestep { get; }

    /// <summary>History <c>[HistoryLength, 3]</c> in degrees.</summary>
    public float[] Angles { get; }

    /// <summary>History rows.</summary>
    public int HistoryLength => Angles.Length / 3;

    /// <summary>Rows to predict.</summary>
    public int FutureLength { get; }

    /// <summary>The frame at the prediction start, or null (see <see cref="ViewportSample.Image"/>).</summary>
    public VpImage? Image { get; init; }

    /// <summary>The history part of a sample (its future stays hidden).</summary>
    /// <param name="sample">The sample.</param>
    public static VpHistory From(ViewportSample sample) =>
        new(sample.Dataset, sample.Video, sample.Viewer, sample.Timestep, sample.History, sample.FutureLength) { Image = sample.Image };

    /// <summary>A short name for error messages: <c>Jin2022 video 4 viewer 83 t=45</c>.</summary>
    public string Describe() => $"{Dataset} video {Video} viewer {Viewer} t={Timestep}";
}

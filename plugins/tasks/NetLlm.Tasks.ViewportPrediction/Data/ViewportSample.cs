namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// One prediction sample: a viewer's history and the ground-truth future, in degrees, row-major <c>[rows, 3]</c>
/// (roll, pitch, yaw). Plain arrays; nothing to dispose.
/// </summary>
public sealed class ViewportSample
{
    /// <summary>Creates a sample.</summary>
    /// <param name="dataset">Dataset name.</param>
    /// <param name="video">Video number.</param>
    /// <param name="viewer">Viewer number.</param>
    /// <param name="timestep">Row index <c>t</c> where the future starts.</param>
    /// <param name="history">History <c>[historyRows, 3]</c> in degrees.</param>
    /// <param name="future">Future <c>[futureRows, 3]</c> in degrees.</param>
    public ViewportSample(string dataset, int video, int viewer, int timestep, float[] history, float[] future)
    {
        if (history.Length == 0 || history.Length % 3 != 0 || future.Length == 0 || future.Length % 3 != 0)
        {
            throw new ArgumentException($"{dataset} video {video} viewer {viewer} t={timestep}: history and future must hold whole (roll, pitch, yaw) rows");
        }

        Dataset = dataset;
        Video = video;
        Viewer = viewer;
        Timestep = timestep;
        History = history;
        Future = future;
    }

    /// <summary>Dataset name.</summary>
    public string Dataset { get; }

    /// <summary>Video number.</summary>
    public int Video { get; }

    /// <summary>Viewer number.</summary>
    public int Viewer { get; }

    /// <summary>Row index <c>t</c> where the future starts.</summary>
    public int Timestep { get; }

    /// <summary>History rows <c>[HistoryLength, 3]</c> in degrees.</summary>
    public float[] History { get; }

    /// <summary>Future rows <c>[FutureLength, 3]</c> in degrees.</summary>
    public float[] Future { get; }

    /// <summary>Number of history rows.</summary>
    public int HistoryLength => History.Length / 3;

    /// <summary>Number of future rows.</summary>
    public int FutureLength => Future.Length / 3;

    /// <summary>
    /// The frame at the prediction start (its pixels or its precomputed feature), read by the multimodal NetLLM
    /// model's image token; null when no images are given.
    /// </summary>
    public VpImage? Image { get; init; }

    /// <summary>A copy of the sample with <paramref name="image"/> attached.</summary>
    /// <param name="image">The frame at the prediction start.</param>
    public ViewportSample WithImage(VpImage image) => new(Dataset, Video, Viewer, Timestep, History, Future) { Image = image };

    /// <summary>A short name for error messages: <c>Jin2022 video 4 viewer 83 t=45</c>.</summary>
    public string Describe() => $"{Dataset} video {Video} viewer {Viewer} t={Timestep}";
}

namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// Attaches to samples the frame shown when their future starts, as the original picks it: the 1-based frame
/// <c>(t - 1) · (fps / 5)</c> of a sample at row <c>t</c>. The frames come from a folder of one
/// <c>video{V}.safetensors</c> per video (see <see cref="FrameTable"/>): precomputed image features (tensor
/// <c>features</c> <c>[frames, dim]</c>, the image encoder's outputs) or pixels (tensor <c>frames</c>
/// <c>[frames, channels, side, side]</c>) for the model's image encoder.
/// </summary>
public static class ViewportImages
{
    /// <summary>Name of the feature tensor.</summary>
    public const string FeaturesName = "features";

    /// <summary>Name of the pixel tensor.</summary>
    public const string FramesName = "frames";

    /// <summary>The original's frame number (1-based) of the image shown when the future of row <paramref name="timestep"/> starts.</summary>
    /// <param name="dataset">The dataset (frame rates).</param>
    /// <param name="video">Video number.</param>
    /// <param name="timestep">Row where the future starts.</param>
    public static int FrameOf(ViewportDatasetInfo dataset, int video, int timestep)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (video < 1 || video > dataset.FrameRates.Count)
        {
            throw new ArgumentException($"{dataset.Name}: no frame rate for video {video} (known for videos 1-{dataset.FrameRates.Count})");
        }

        return (timestep - 1) * (dataset.FrameRates[video - 1] / ViewportDatasetCatalog.FrequencyHz);
    }

    /// <summary>
    /// Copies of <paramref name="samples"/> with their precomputed image features. Throws
    /// <see cref="InvalidDataException"/> naming the file for a missing file or tensor, a bad shape or a missing frame.
    /// </summary>
    /// <param name="folder">Folder of <c>video{V}.safetensors</c> files with tensor <c>features</c>.</param>
    /// <param name="dataset">The samples' dataset.</param>
    /// <param name="samples">Samples.</param>
    public static List<ViewportSample> AttachFeatures(string folder, ViewportDatasetInfo dataset, IReadOnlyList<ViewportSample> samples) =>
        Attach(folder, dataset, samples, FeaturesName, 2, "[frames, dim]", (key, table, row) => VpImage.FromFeature(key, table.Path, row));

    /// <summary>
    /// Copies of <paramref name="samples"/> with the pixels of their frames (one shared <see cref="VpImage"/> per
    /// frame). Throws <see cref="InvalidDataException"/> naming the file for a missing file or tensor, a bad shape or
    /// a missing frame.
    /// </summary>
    /// <param name="folder">Folder of <c>video{V}.safetensors</c> files with tensor <c>frames</c>.</param>
    /// <param name="dataset">The samples' dataset.</param>
    /// <param name="samples">Samples.</param>
    public static List<ViewportSample> AttachFrames(string folder, ViewportDatasetInfo dataset, IReadOnlyList<ViewportSample> samples) =>
        Attach(folder, dataset, samples, FramesName, 4, "[frames, channels, side, side]", (key, table, row) => VpImage.FromPixels(key, table.Path, row, table.ItemShape));

    private static List<ViewportSample> Attach(
        string folder,
        ViewportDatasetInfo dataset,
        IReadOnlyList<ViewportSample> samples,
        string tensor,
        int rank,
        string layout,
        Func<string, FrameTable, float[], VpImage> create)
    {
        ArgumentNullException.ThrowIfNull(samples);
        FrameTable? table = null;
        var tableVideo = 0;
        var images = new Dictionary<(int Video, int Frame), VpImage>();
        var result = new List<ViewportSample>(samples.Count);
        foreach (var sample in samples)
        {
            var frame = FrameOf(dataset, sample.Video, sample.Timestep);
            if (!images.TryGetValue((sample.Video, frame), out var image))
            {
                // Samples come video by video: only the current video's table is kept.
                if (table is null || tableVideo != sample.Video)
                {
                    table = FrameTable.Read(Path.Combine(folder, $"video{sample.Video}.safetensors"), tensor, rank, layout);
                    tableVideo = sample.Video;
                }

                var row = table.Row(frame) ?? throw new InvalidDataException($"{table.Path}: {sample.Describe()} needs frame {frame}, the file has {table.Holds}");
                image = create($"{dataset.Name} video {sample.Video} frame {frame}", table, row);
                images[(sample.Video, frame)] = image;
            }

            result.Add(sample.WithImage(image));
        }

        return result;
    }
}

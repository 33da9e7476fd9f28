using NetLlm.Core.IO;

namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// Precomputed image features (for example ViT CLS features from <c>encoder.vit</c>) attached to samples for the
/// multimodal NetLLM model. Layout: <c>&lt;folder&gt;/video{V}.safetensors</c> holding one float tensor
/// <c>features</c> <c>[frames, dim]</c>, row <c>i</c> = 1-based frame <c>i + 1</c>. A sample at row <c>t</c> uses the
/// frame at the prediction start as the original computes it: <c>(t - 1) · (fps / 5)</c> (1-based frame number).
/// </summary>
public static class ViewportImageFeatures
{
    /// <summary>Name of the tensor inside each file.</summary>
    public const string TensorName = "features";

    /// <summary>The original's frame number (1-based) of the image shown when the future of row <paramref name="timestep"/> starts.</summary>
    /// <param name="dataset">The dataset (frame rates).</param>
    /// <param name="video">Video number.</param>
    /// <param name="timestep">Row where the future starts.</param>
    public static int FrameOf(ViewportDatasetInfo dataset, int video, int timestep)
    {
        if (video < 1 || video > dataset.FrameRates.Count)
        {
            throw new ArgumentException($"{dataset.Name}: no frame rate for video {video} (known for videos 1-{dataset.FrameRates.Count})");
        }

        return (timestep - 1) * (dataset.FrameRates[video - 1] / ViewportDatasetCatalog.FrequencyHz);
    }

    /// <summary>
    /// Returns copies of <paramref name="samples"/> with <see cref="ViewportSample.ImageFeature"/> set. Throws
    /// <see cref="InvalidDataException"/> naming the file for a missing file or tensor, a bad shape or a frame beyond
    /// the file.
    /// </summary>
    /// <param name="folder">Folder of <c>video{V}.safetensors</c> files.</param>
    /// <param name="dataset">The samples' dataset.</param>
    /// <param name="samples">Samples.</param>
    public static List<ViewportSample> Attach(string folder, ViewportDatasetInfo dataset, IReadOnlyList<ViewportSample> samples)
    {
        var byVideo = new Dictionary<int, (float[] Values, int Frames, int Dim)>();
        var result = new List<ViewportSample>(samples.Count);
        foreach (var sample in samples)
        {
            if (!byVideo.TryGetValue(sample.Video, out var table))
            {
                table = Read(Path.Combine(folder, $"video{sample.Video}.safetensors"));
                byVideo[sample.Video] = table;
            }

            var frame = FrameOf(dataset, sample.Video, sample.Timestep);
            if (frame < 1 || frame > table.Frames)
            {
                throw new InvalidDataException($"{Path.Combine(folder, $"video{sample.Video}.safetensors")}: {sample.Describe()} needs frame {frame}, the file has frames 1-{table.Frames}");
            }

            var feature = table.Values.AsSpan((frame - 1) * table.Dim, table.Dim).ToArray();
            result.Add(new ViewportSample(sample.Dataset, sample.Video, sample.Viewer, sample.Timestep, sample.History, sample.Future) { ImageFeature = feature });
        }

        return result;
    }

    private static (float[] Values, int Frames, int Dim) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: image feature file not found (expected one video{{V}}.safetensors per video)");
        }

        using var file = SafetensorsFile.Open(path);
        if (!file.Entries.TryGetValue(TensorName, out var entry))
        {
            throw new InvalidDataException($"{path}: no tensor '{TensorName}' (found {string.Join(", ", file.Entries.Keys)})");
        }

        if (entry.Shape.Length != 2 || entry.Shape[0] < 1 || entry.Shape[1] < 1)
        {
            throw new InvalidDataException($"{path}: tensor '{TensorName}' has shape [{string.Join(", ", entry.Shape)}], expected [frames, dim]");
        }

        return (file.ReadFloats(TensorName), (int)entry.Shape[0], (int)entry.Shape[1]);
    }
}

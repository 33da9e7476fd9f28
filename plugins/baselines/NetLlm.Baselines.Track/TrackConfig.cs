using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetLlm.Baselines.Track;

/// <summary>
/// What a trained TRACK model directory records (<c>track.json</c> next to <c>model.safetensors</c>): its shape,
/// the units its outputs are in, and how it was trained.
/// </summary>
public sealed record TrackConfig
{
    /// <summary>File name of the config inside a model directory.</summary>
    public const string FileName = "track.json";

    /// <summary>File name of the weights inside a model directory.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Layout version.</summary>
    [JsonPropertyName("format_version")]
    public int FormatVersion { get; init; } = 1;

    /// <summary>Saliency map height (0 = position-only).</summary>
    [JsonPropertyName("saliency_height")]
    public int SaliencyHeight { get; init; }

    /// <summary>Saliency map width (0 = position-only).</summary>
    [JsonPropertyName("saliency_width")]
    public int SaliencyWidth { get; init; }

    /// <summary>
    /// Trained as the original: the L1 loss compares normalised-space outputs with targets in degrees, so the outputs
    /// are degrees (used without denormalisation). False: outputs are normalised and denormalised at test time.
    /// </summary>
    [JsonPropertyName("original_loss")]
    public bool OriginalLoss { get; init; }

    /// <summary>Dataset trained on.</summary>
    [JsonPropertyName("train_dataset")]
    public string TrainDataset { get; init; } = "Jin2022";

    /// <summary>History rows of the training samples.</summary>
    [JsonPropertyName("history")]
    public int History { get; init; } = 10;

    /// <summary>Future rows of the training samples.</summary>
    [JsonPropertyName("future")]
    public int Future { get; init; } = 20;

    /// <summary>Epochs run.</summary>
    [JsonPropertyName("epochs")]
    public int Epochs { get; init; }

    /// <summary>Epoch (1-based) whose weights were kept: the lowest validation loss.</summary>
    [JsonPropertyName("best_epoch")]
    public int BestEpoch { get; init; }

    /// <summary>Validation loss of the kept weights.</summary>
    [JsonPropertyName("best_valid_loss")]
    public double BestValidLoss { get; init; }

    /// <summary>Batch size.</summary>
    [JsonPropertyName("batch_size")]
    public int BatchSize { get; init; }

    /// <summary>Adam learning rate.</summary>
    [JsonPropertyName("lr")]
    public double LearningRate { get; init; }

    /// <summary>Seed of the initialisation and the shuffling.</summary>
    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    /// <summary>Training samples used.</summary>
    [JsonPropertyName("train_samples")]
    public int TrainSamples { get; init; }

    /// <summary>Validation samples used.</summary>
    [JsonPropertyName("valid_samples")]
    public int ValidSamples { get; init; }

    /// <summary>Wall time of training, seconds.</summary>
    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    /// <summary>Mean training loss of each epoch.</summary>
    [JsonPropertyName("train_loss")]
    public IReadOnlyList<double> TrainLoss { get; init; } = [];

    /// <summary>Validation loss of each epoch.</summary>
    [JsonPropertyName("valid_loss")]
    public IReadOnlyList<double> ValidLoss { get; init; } = [];

    /// <summary>Serialises to indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads a config; errors name the file.</summary>
    /// <param name="path">Path of <c>track.json</c>.</param>
    public static TrackConfig Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: not found (a TRACK model directory holds {FileName} and {WeightsFileName})");
        }

        TrackConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TrackConfig>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid TRACK config: {e.Message}", e);
        }

        if (config is null || config.FormatVersion != 1)
        {
            throw new InvalidDataException($"{path}: unsupported TRACK config (format_version {config?.FormatVersion}, expected 1)");
        }

        return config;
    }
}

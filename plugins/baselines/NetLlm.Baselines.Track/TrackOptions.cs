using NetLlm.Abstractions.Options;

namespace NetLlm.Baselines.Track;

/// <summary>
/// Options of <c>vp.track</c>: a trained model directory to load, or how to train one first (the original: L1 loss,
/// Adam 5e-4, batch 64, 80 epochs) and where to save it.
/// </summary>
public sealed record TrackOptions
{
    /// <summary>A trained TRACK model directory to load (otherwise TRACK is trained first).</summary>
    [Option("a trained TRACK model directory to load (otherwise TRACK is trained on the task's train split first)", Name = "track-model", Verbs = VerbScope.Test)]
    public string? Model { get; init; }

    /// <summary>Directory to save the model trained for this run, or null.</summary>
    [Option("directory to save the TRACK model trained for this run", Name = "track-save", Verbs = VerbScope.Test)]
    public string? Save { get; init; }

    /// <summary>Training epochs.</summary>
    [Option("TRACK training epochs", Name = "track-epochs", Minimum = 1, Maximum = 100000, Verbs = VerbScope.Test)]
    public int Epochs { get; init; } = 5;

    /// <summary>Adam learning rate.</summary>
    [Option("TRACK Adam learning rate", Name = "track-lr", Minimum = 1e-12, Maximum = 10, Verbs = VerbScope.Test)]
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Training batch size.</summary>
    [Option("TRACK training batch size", Name = "track-batch", Minimum = 1, Maximum = 65536, Verbs = VerbScope.Test)]
    public int BatchSize { get; init; } = 64;

    /// <summary>Train on an evenly strided subset of at most this many samples (0: all).</summary>
    [Option("train TRACK on an evenly strided subset of at most N samples (0: all)", Name = "track-train-samples", Minimum = 0, Maximum = int.MaxValue, Verbs = VerbScope.Test)]
    public int TrainSamples { get; init; }

    /// <summary>
    /// Train as the original: L1 between the model's outputs (decoded from normalised inputs) and the targets in
    /// degrees, so that the model learns to output degrees. Off: targets are normalised too.
    /// </summary>
    [Option("train TRACK as the original (L1 of normalised predictions against degrees)", Name = "track-original-loss", Verbs = VerbScope.Test)]
    public bool OriginalLoss { get; init; }
}

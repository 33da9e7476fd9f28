using NetLlm.Abstractions.Backbones;
using TorchSharp;

namespace NetLlm.Abstractions.Models;

/// <summary>
/// The task-specific part of NetLLM for a prediction task: how a batch of samples becomes a backbone input, a loss
/// and predictions, using the slot encoders and the heads of its <see cref="ModelContext"/>. The engine owns
/// optimisation, validation, checkpoints and the run directory.
/// </summary>
/// <typeparam name="TSample">A sample with ground truth.</typeparam>
/// <typeparam name="TInput">What a predictor sees.</typeparam>
/// <typeparam name="TPrediction">A prediction.</typeparam>
public interface ISupervisedModel<TSample, TInput, TPrediction> : IDisposable
{
    /// <summary>The model's own trainable modules by state-dict name (not the slot encoders or heads), in creation order.</summary>
    IReadOnlyList<KeyValuePair<string, torch.nn.Module>> Modules { get; }

    /// <summary>
    /// Training loss of a batch: a scalar tensor with gradients, owned by the caller. The model may choose between
    /// teacher forcing and its own predictions (scheduled sampling) with <paramref name="random"/>.
    /// </summary>
    /// <param name="backbone">The backbone (with adapters).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="random">The trainer's seeded random stream.</param>
    torch.Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<TSample> batch, Random random);

    /// <summary>Validation loss of a batch (no gradients): what best-checkpoint selection minimises.</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="batch">Samples.</param>
    double ValidationLoss(IBackbone backbone, IReadOnlyList<TSample> batch);

    /// <summary>Predictions for inputs (no gradients; the model may use the backbone's key/value cache).</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="inputs">Inputs.</param>
    IReadOnlyList<TPrediction> Predict(IBackbone backbone, IReadOnlyList<TInput> inputs);
}

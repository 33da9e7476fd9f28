using NetLlm.Abstractions.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The task-specific part of NetLLM for a prediction task (viewport prediction): encoders and head, and how a
/// batch of samples becomes a backbone input, a loss and predictions. The shared supervised loop
/// (SupervisedTrainer) owns optimisation, validation and checkpoints.
/// </summary>
/// <typeparam name="TSample">A dataset sample.</typeparam>
public interface ISupervisedModel<TSample> : IDisposable
{
    /// <summary>The module holding every trainable parameter outside the backbone.</summary>
    nn.Module Module { get; }

    /// <summary>
    /// Training loss of a batch (a scalar tensor owned by the caller, with gradients). The model decides between
    /// teacher forcing and its own predictions (scheduled sampling) with <paramref name="random"/>.
    /// </summary>
    /// <param name="backbone">The backbone (with adapters attached).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="random">Random stream of the trainer (seeded).</param>
    Tensor TrainingLoss(IBackbone backbone, IReadOnlyList<TSample> batch, Random random);

    /// <summary>
    /// Predictions for a batch at test time (no gradients; the model may use the backbone's KV cache), as a new
    /// tensor owned by the caller in the task's output units.
    /// </summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="batch">Samples.</param>
    Tensor Predict(IBackbone backbone, IReadOnlyList<TSample> batch);

    /// <summary>Validation loss of a batch (no gradients): the quantity best-checkpoint selection minimises.</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="batch">Samples.</param>
    double ValidationLoss(IBackbone backbone, IReadOnlyList<TSample> batch);
}

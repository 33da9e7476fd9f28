using TorchSharp;

namespace NetLlm.Abstractions.Models;

/// <summary>
/// Maps backbone features to a task answer in one forward pass (no token generation), so the answer is valid by
/// construction: a bitrate index among the ladder, a stage among the schedulable ones, an orientation in range. The
/// engine calls it with the hidden states at the positions the task's layout designates.
/// </summary>
public interface INetworkingHead
{
    /// <summary>Width of the backbone features it reads.</summary>
    int InputDim { get; }

    /// <summary>Number of outputs (choices, or bounded values).</summary>
    int Outputs { get; }

    /// <summary>The module holding the head's parameters (registered under the head's slot name).</summary>
    torch.nn.Module Module { get; }

    /// <summary>
    /// Raw output used by the loss: logits with invalid choices set to a large negative value, or bounded values.
    /// Returns a new tensor <c>[batch, Outputs]</c> (or <c>[..., Outputs]</c>) owned by the caller; inputs are borrowed.
    /// </summary>
    /// <param name="features">Backbone features <c>[batch, InputDim]</c> (or <c>[..., InputDim]</c>).</param>
    /// <param name="validMask">Optional <c>[batch, Outputs]</c> boolean mask of valid choices.</param>
    torch.Tensor Forward(torch.Tensor features, torch.Tensor? validMask = null);
}

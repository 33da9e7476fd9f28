using NetLlm.Abstractions.Spaces;
using TorchSharp;

namespace NetLlm.Abstractions.Heads;

/// <summary>
/// Maps backbone features to a task answer in one forward pass (no token generation), so the answer is valid by
/// construction: a bitrate index among the ladder, a stage among the schedulable ones, an orientation in range.
/// </summary>
public interface ILegacyNetworkingHead
{
    /// <summary>Width of the backbone features it reads.</summary>
    int InputDim { get; }

    /// <summary>The module holding the head's parameters.</summary>
    torch.nn.Module Module { get; }

    /// <summary>
    /// Raw output used by the loss: logits (with invalid choices already masked to a large negative value) or
    /// bounded values. Returns a new tensor owned by the caller; inputs are borrowed.
    /// </summary>
    /// <param name="features">Backbone features <c>[batch, InputDim]</c>.</param>
    /// <param name="validMask">Optional <c>[batch, choices]</c> boolean mask of valid choices.</param>
    torch.Tensor Forward(torch.Tensor features, torch.Tensor? validMask = null);
}

/// <summary>A head that decodes plain answers.</summary>
/// <typeparam name="TAnswer">Answer type, for example <c>int</c> or <c>float[]</c>.</typeparam>
public interface ILegacyNetworkingHead<TAnswer> : ILegacyNetworkingHead
{
    /// <summary>The set every answer belongs to (for a masked head, the largest such set).</summary>
    ISpace<TAnswer> AnswerSpace { get; }

    /// <summary>
    /// Decodes one answer per batch row. Inputs are borrowed; nothing is returned that needs disposing.
    /// </summary>
    /// <param name="features">Backbone features <c>[batch, InputDim]</c>.</param>
    /// <param name="validMask">Optional <c>[batch, choices]</c> boolean mask of valid choices.</param>
    /// <param name="decoding">Greedy or sampled decoding, with its random generator.</param>
    IReadOnlyList<TAnswer> Decode(torch.Tensor features, torch.Tensor? validMask, HeadDecoding decoding);
}

/// <summary>How a head turns scores into an answer.</summary>
/// <param name="Sample">Draw from the softmax distribution instead of taking the argmax.</param>
/// <param name="Random">Random stream used when sampling.</param>
public sealed record HeadDecoding(bool Sample, Random Random)
{
    /// <summary>Greedy decoding.</summary>
    public static HeadDecoding Greedy { get; } = new(false, new Random(0));
}

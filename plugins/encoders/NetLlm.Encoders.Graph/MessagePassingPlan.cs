using NetLlm.Abstractions.Encoders.Modalities;
using static TorchSharp.torch;

namespace NetLlm.Encoders.Graph;

/// <summary>
/// The message-passing steps of a <see cref="DagBatch"/> as tensors on its device (<see cref="MessagePassingLevels"/>),
/// and which nodes take part. The tensors join the caller's dispose scope.
/// </summary>
/// <param name="Steps">Steps, deepest first: sending children, their receiver slots, receiving parents.</param>
/// <param name="PassesMessages">
/// <c>[nodes, 1]</c> boolean: the node's observation has edges (so its leaves get the update MLP); null when every
/// observation has edges. The original skips message passing — and the update MLP — for an edgeless observation.
/// </param>
internal sealed record MessagePassingPlan(IReadOnlyList<(Tensor Children, Tensor Slots, Tensor Parents)> Steps, Tensor? PassesMessages)
{
    /// <summary>The plan of <paramref name="batch"/>.</summary>
    /// <param name="batch">The batch (borrowed).</param>
    public static MessagePassingPlan Create(DagBatch batch)
    {
        var n = batch.NodeCount;
        var device = batch.NodeFeatures.device;
        var steps = MessagePassingLevels.Build(n, batch.EdgeFrom, batch.EdgeTo)
            .Select(l => (tensor(l.Children, device: device), tensor(l.ParentSlots, device: device), tensor(l.Parents, device: device)))
            .ToList();
        var observations = batch.ObservationCount;
        var hasEdges = new bool[observations];
        var o = 0;
        foreach (var from in batch.EdgeFrom.Order())
        {
            while (from >= batch.NodeOffsets[o + 1])
            {
                o++;
            }

            hasEdges[o] = true;
        }

        if (hasEdges.All(h => h))
        {
            return new MessagePassingPlan(steps, null);
        }

        var passes = new bool[n];
        for (o = 0; o < observations; o++)
        {
            Array.Fill(passes, hasEdges[o], batch.NodeOffsets[o], batch.NodeOffsets[o + 1] - batch.NodeOffsets[o]);
        }

        return new MessagePassingPlan(steps, tensor(passes, device: device).unsqueeze(1));
    }
}

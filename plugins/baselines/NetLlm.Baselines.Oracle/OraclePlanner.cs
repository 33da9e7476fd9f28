using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.Oracle;

/// <summary>
/// Searches a whole episode's bitrate plan on copies of the task's own simulator, with the future bandwidth known:
/// a beam over chunks in which partial plans that reach a chunk with the same last bitrate and a buffer in the same
/// bin are merged, keeping the one with the larger reward so far. Every plan is replayed exactly by the simulator, so
/// the result is a feasible plan (a lower bound on the optimum, tight as the bin shrinks).
/// </summary>
public static class OraclePlanner
{
    /// <summary>The plan (one level per remaining chunk) from <paramref name="start"/>, and its total reward.</summary>
    /// <param name="start">The simulator at the first decision (borrowed; not stepped).</param>
    /// <param name="bufferStepSeconds">Buffer bin width.</param>
    /// <param name="cancellation">Checked once per chunk.</param>
    public static (int[] Plan, double Reward) Plan(AbrEnvironment start, double bufferStepSeconds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferStepSeconds);
        var frontier = new List<Node> { new(start, null, -1, 0) };
        var finished = new List<Node>();
        var best = new Dictionary<(int Level, long Bin), Node>();
        while (frontier.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            best.Clear();
            foreach (var node in frontier)
            {
                var simulator = node.Simulator!;
                node.Simulator = null; // only the frontier keeps simulators; the plan tree keeps levels and rewards
                for (var level = 0; level < AbrConstants.BitrateLevels; level++)
                {
                    var next = simulator.Fork();
                    var step = next.Step(level);
                    var child = new Node(next, node, level, node.Reward + step.Reward);
                    if (step.Terminated)
                    {
                        finished.Add(child);
                        continue;
                    }

                    var key = (level, (long)Math.Floor(step.Observation.BufferSeconds / bufferStepSeconds));
                    if (!best.TryGetValue(key, out var incumbent) || child.Reward > incumbent.Reward)
                    {
                        best[key] = child;
                    }
                }
            }

            frontier = [.. best.Values];
        }

        var winner = finished.MaxBy(n => n.Reward) ?? throw new InvalidOperationException("the search found no complete plan");
        var plan = new List<int>();
        for (var n = winner; n.Parent is not null; n = n.Parent)
        {
            plan.Add(n.Level);
        }

        plan.Reverse();
        return ([.. plan], winner.Reward);
    }

    private sealed class Node(AbrEnvironment? simulator, Node? parent, int level, double reward)
    {
        public AbrEnvironment? Simulator { get; set; } = simulator;

        public Node? Parent { get; } = parent;

        public int Level { get; } = level;

        public double Reward { get; } = reward;
    }
}

using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Baselines.RobustMpc;

/// <summary>
/// The original RobustMPC's candidate plans (<c>calculate_jump_action_combo</c>): for each last level, every
/// 5-chunk sequence of levels (in <c>itertools.product</c>, i.e. lexicographic, order) that moves at most one level
/// per chunk. Built once; the planner walks it as a prefix tree, which visits the plans in the same order.
/// </summary>
public sealed class MpcComboTable
{
    /// <summary>Planning horizon in chunks (<c>MPC_FUTURE_CHUNK_COUNT</c>).</summary>
    public const int Horizon = 5;

    private readonly int[][] _next;
    private readonly int[][][] _combos;

    private MpcComboTable()
    {
        _next = new int[AbrConstants.BitrateLevels][];
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            _next[level] = new[] { level - 1, level, level + 1 }.Where(l => l >= 0 && l < AbrConstants.BitrateLevels).ToArray();
        }

        _combos = new int[AbrConstants.BitrateLevels][][];
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            var list = new List<int[]>();
            Enumerate(level, new int[Horizon], 0, list);
            _combos[level] = [.. list];
        }
    }

    /// <summary>The shared table.</summary>
    public static MpcComboTable Instance { get; } = new();

    /// <summary>Levels reachable from <paramref name="level"/> in one chunk, ascending.</summary>
    /// <param name="level">Current level.</param>
    public ReadOnlySpan<int> Next(int level) => _next[level];

    /// <summary>All plans from <paramref name="level"/> in the original's order.</summary>
    /// <param name="level">Last downloaded level.</param>
    public IReadOnlyList<int[]> Combos(int level) => _combos[level];

    private void Enumerate(int previous, int[] prefix, int depth, List<int[]> into)
    {
        if (depth == Horizon)
        {
            into.Add((int[])prefix.Clone());
            return;
        }

        foreach (var level in _next[previous])
        {
            prefix[depth] = level;
            Enumerate(level, prefix, depth + 1, into);
        }
    }
}

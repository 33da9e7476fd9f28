namespace NetLlm.Core.Adaptation;

/// <summary>
/// A mini-batch of training windows, flattened step by step in window order: window 0's steps, then window 1's...
/// </summary>
/// <typeparam name="TState">State type.</typeparam>
/// <param name="States">State of every step.</param>
/// <param name="Actions">Action components of every step (the labels).</param>
/// <param name="ReturnsToGo">Processed return-to-go of every step.</param>
/// <param name="Timesteps">Timestep of every step within its episode.</param>
/// <param name="WindowLengths">Steps per window.</param>
public sealed record DecisionBatch<TState>(
    IReadOnlyList<TState> States,
    IReadOnlyList<int[]> Actions,
    float[] ReturnsToGo,
    long[] Timesteps,
    int[] WindowLengths)
{
    /// <summary>Pool index of every step, when the batch was cut from a pool (null otherwise).</summary>
    public int[]? PoolSteps { get; init; }

    /// <summary>Builds the batch of <paramref name="windows"/> from pool arrays.</summary>
    /// <param name="windows">Windows to include.</param>
    /// <param name="states">Decoded pool states.</param>
    /// <param name="pool">The pool.</param>
    /// <param name="returnsToGo">Processed returns-to-go of the pool.</param>
    public static DecisionBatch<TState> From(IReadOnlyList<DecisionWindow> windows, IReadOnlyList<TState> states, ExperiencePool pool, float[] returnsToGo)
    {
        var n = windows.Sum(w => w.Length);
        var s = new TState[n];
        var a = new int[n][];
        var r = new float[n];
        var t = new long[n];
        var p = new int[n];
        var k = 0;
        foreach (var w in windows)
        {
            for (var i = w.Start; i < w.Start + w.Length; i++, k++)
            {
                s[k] = states[i];
                a[k] = pool.ActionAt(i);
                r[k] = returnsToGo[i];
                t[k] = pool.Timesteps[i];
                p[k] = i;
            }
        }

        return new DecisionBatch<TState>(s, a, r, t, windows.Select(w => w.Length).ToArray()) { PoolSteps = p };
    }
}

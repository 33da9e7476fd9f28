namespace NetLlm.Core.Adaptation;

/// <summary>A training window: <see cref="Length"/> consecutive pool steps starting at <see cref="Start"/>.</summary>
/// <param name="Start">First pool index.</param>
/// <param name="Length">Steps (at most the context window).</param>
public readonly record struct DecisionWindow(int Start, int Length);

/// <summary>
/// Cuts the pool into training windows of <c>w</c> steps. By default windows stay inside one episode (an episode
/// shorter than <c>w</c> is one shorter window, and a last window ending at the episode's end covers its tail);
/// with <c>crossEpisodes</c> windows are taken over the concatenated pool exactly as the original does
/// (<c>range(0, N - w + 1, step)</c>), so that a window may straddle an episode boundary.
/// </summary>
public static class DecisionWindows
{
    /// <summary>The windows of <paramref name="pool"/>.</summary>
    /// <param name="pool">The experience pool.</param>
    /// <param name="window">Window length w.</param>
    /// <param name="step">Stride (0 means w).</param>
    /// <param name="crossEpisodes">The original's behaviour.</param>
    public static IReadOnlyList<DecisionWindow> Cut(ExperiencePool pool, int window, int step, bool crossEpisodes)
    {
        var stride = step <= 0 ? window : step;
        var result = new List<DecisionWindow>();
        if (crossEpisodes)
        {
            for (var s = 0; s + window <= pool.Count; s += stride)
            {
                result.Add(new DecisionWindow(s, window));
            }

            return result;
        }

        var start = 0;
        for (var i = 0; i < pool.Count; i++)
        {
            if (!pool.Dones[i] && i != pool.Count - 1)
            {
                continue;
            }

            var length = i - start + 1;
            if (length <= window)
            {
                result.Add(new DecisionWindow(start, length));
            }
            else
            {
                var last = -1;
                for (var s = start; s + window <= i + 1; s += stride)
                {
                    result.Add(new DecisionWindow(s, window));
                    last = s;
                }

                if (last + window < i + 1)
                {
                    result.Add(new DecisionWindow(i + 1 - window, window));
                }
            }

            start = i + 1;
        }

        return result;
    }
}

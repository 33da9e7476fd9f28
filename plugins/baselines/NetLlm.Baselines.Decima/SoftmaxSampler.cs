namespace NetLlm.Baselines.Decima;

/// <summary>Draws an index from the softmax of scores (the original's <c>random.choices(range(n), softmax(scores))</c>).</summary>
public static class SoftmaxSampler
{
    /// <summary>Index of the largest score (first on ties).</summary>
    /// <param name="scores">Scores (at least one).</param>
    public static int Argmax(ReadOnlySpan<float> scores)
    {
        if (scores.Length == 0)
        {
            throw new ArgumentException("no scores to choose from");
        }

        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>An index drawn with probability softmax(scores).</summary>
    /// <param name="scores">Scores (at least one, finite).</param>
    /// <param name="random">Random stream.</param>
    public static int Sample(ReadOnlySpan<float> scores, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var max = scores[Argmax(scores)];
        var total = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            total += Math.Exp(scores[i] - max);
        }

        var u = random.NextDouble() * total;
        var acc = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            acc += Math.Exp(scores[i] - max);
            if (u < acc)
            {
                return i;
            }
        }

        return scores.Length - 1;
    }
}

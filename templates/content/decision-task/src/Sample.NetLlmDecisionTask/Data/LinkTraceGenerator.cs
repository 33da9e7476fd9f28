namespace Sample.NetLlmDecisionTask.Data;

/// <summary>
/// Generated traces, so the task runs without a data root: every link has its own mean capacity (2 to 12 Mbit/s)
/// that changes now and then, and the capacity moves around it as a first-order autoregressive process. Deterministic
/// for a seed.
/// </summary>
public static class LinkTraceGenerator
{
    /// <summary>Generates <paramref name="count"/> traces of <paramref name="steps"/> steps.</summary>
    /// <param name="count">Traces.</param>
    /// <param name="steps">Steps per trace (more than the history).</param>
    /// <param name="seed">Seed.</param>
    public static IReadOnlyList<LinkTrace> Generate(int count, int steps, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var traces = new List<LinkTrace>(count);
        for (var i = 0; i < count; i++)
        {
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var means = Enumerable.Range(0, LinkConstants.Links).Select(_ => 2 + (10 * random.NextDouble())).ToArray();
            var current = (double[])means.Clone();
            var rows = new List<float[]>(steps);
            for (var t = 0; t < steps; t++)
            {
                var row = new float[LinkConstants.Links];
                for (var link = 0; link < LinkConstants.Links; link++)
                {
                    if (random.NextDouble() < 0.05)
                    {
                        means[link] = 2 + (10 * random.NextDouble());
                    }

                    current[link] = means[link] + (0.8 * (current[link] - means[link])) + (random.NextDouble() - 0.5);
                    row[link] = (float)Math.Max(0, current[link]);
                }

                rows.Add(row);
            }

            traces.Add(new LinkTrace($"generated-{i}", rows));
        }

        return traces;
    }
}

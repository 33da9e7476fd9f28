namespace Sample.NetLlmPredictionTask.Data;

/// <summary>
/// Seeded synthetic link traces, so the task runs without any data: every second the link stays in its state
/// (good, fair or poor cell, mean 4.0 / 1.5 / 0.4 Mbit/s) with probability 0.9 or jumps to another one, and the
/// throughput follows the state's mean with a first-order autoregressive wobble (coefficient 0.8, 15% noise).
/// The same seed always gives the same traces.
/// </summary>
public static class SyntheticThroughput
{
    private static readonly float[] StateMeans = [4.0f, 1.5f, 0.4f];

    /// <summary>Generates <paramref name="traces"/> traces of <paramref name="samples"/> one-second samples.</summary>
    /// <param name="seed">Seed (different splits use different seeds).</param>
    /// <param name="traces">Number of traces.</param>
    /// <param name="samples">Samples per trace.</param>
    public static IReadOnlyList<ThroughputTrace> Generate(int seed, int traces, int samples)
    {
        if (traces < 1 || samples < 2)
        {
            throw new ArgumentException($"synthetic traces: need at least 1 trace of 2 samples (got {traces} of {samples})");
        }

        var random = new Random(seed);
        var result = new List<ThroughputTrace>(traces);
        for (var t = 0; t < traces; t++)
        {
            var state = random.Next(StateMeans.Length);
            var deviation = 0.0;
            var times = new double[samples];
            var mbps = new float[samples];
            for (var i = 0; i < samples; i++)
            {
                if (random.NextDouble() > 0.9)
                {
                    state = (state + 1 + random.Next(StateMeans.Length - 1)) % StateMeans.Length;
                }

                deviation = (0.8 * deviation) + (0.15 * Gaussian(random));
                times[i] = i;
                mbps[i] = (float)Math.Max(0.01, StateMeans[state] * (1 + deviation));
            }

            result.Add(new ThroughputTrace($"synthetic-{seed}-{t}", times, mbps));
        }

        return result;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

namespace Sample.NetLlmPredictionTask.Data;

/// <summary>One throughput trace: samples of a link's throughput at increasing times.</summary>
/// <param name="Name">Where it came from (file name or synthetic id).</param>
/// <param name="Times">Sample times in seconds, increasing.</param>
/// <param name="Mbps">Throughput at each time, in Mbit/s (finite, not negative).</param>
public sealed record ThroughputTrace(string Name, IReadOnlyList<double> Times, IReadOnlyList<float> Mbps)
{
    /// <summary>Number of samples.</summary>
    public int Count => Mbps.Count;
}

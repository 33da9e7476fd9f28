namespace Sample.NetLlmPredictionTask.Data;

/// <summary>What a predictor sees: the last <see cref="ThroughputConstants.History"/> throughputs (Mbit/s, oldest first).</summary>
/// <param name="Mbps">The history.</param>
public sealed record ThroughputHistory(float[] Mbps);

/// <summary>A prediction: the next <see cref="ThroughputConstants.Horizon"/> throughputs (Mbit/s).</summary>
/// <param name="Mbps">The predicted values.</param>
public sealed record ThroughputForecast(float[] Mbps);

/// <summary>One sample: a history and the throughputs that followed it.</summary>
/// <param name="Name">Trace and position, for per-sample results.</param>
/// <param name="History">What a predictor sees.</param>
/// <param name="Future">The ground truth, <see cref="ThroughputConstants.Horizon"/> values.</param>
public sealed record ThroughputSample(string Name, ThroughputHistory History, float[] Future);

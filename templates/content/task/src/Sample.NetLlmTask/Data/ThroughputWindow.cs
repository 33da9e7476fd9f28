namespace Sample.NetLlmTask.Data;

/// <summary>One prediction sample: the last <c>History.Length</c> throughputs and the next <c>Future.Length</c> ones (Mbit/s).</summary>
/// <param name="History">Past throughputs, oldest first.</param>
/// <param name="Future">The throughputs to predict, in order.</param>
public sealed record ThroughputWindow(float[] History, float[] Future);

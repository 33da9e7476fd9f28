using System.Text.Json.Nodes;

namespace NetLlm.Abstractions.Tasks;

/// <summary>Samples of a prediction task and where they came from.</summary>
/// <typeparam name="TSample">Sample type.</typeparam>
/// <param name="Samples">The samples, in a fixed order.</param>
/// <param name="Provenance">Dataset, split, counts and fingerprints, recorded with results and runs.</param>
public sealed record PredictionData<TSample>(IReadOnlyList<TSample> Samples, JsonObject Provenance);

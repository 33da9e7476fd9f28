using System.Text.Json.Nodes;

namespace NetLlm.Core.Serving;

/// <summary>A session just opened.</summary>
/// <param name="Id">Its opaque id.</param>
/// <param name="Label">The client's label, or null.</param>
public sealed record OpenedSession(string Id, string? Label);

/// <summary>One decision.</summary>
/// <param name="Action">The action as the task writes it.</param>
/// <param name="DecisionMs">Time the policy took (reward bookkeeping and the decision; not parsing, HTTP or the wait for the inference lock), ms.</param>
/// <param name="WaitMs">Time the request waited for the inference lock of a shared model (0 for baselines), ms.</param>
/// <param name="Step">0-based number of the request within its session.</param>
public sealed record DecisionReply(JsonNode Action, double DecisionMs, double WaitMs, int Step);

/// <summary>Counters and latency percentiles of a server.</summary>
/// <param name="SessionsOpen">Sessions open now.</param>
/// <param name="SessionsTotal">Sessions opened since start.</param>
/// <param name="Decisions">Decisions answered since start.</param>
/// <param name="Latency">Percentiles of the decision time over the recent decisions (ms).</param>
/// <param name="Wait">Percentiles of the wait for the inference lock over the recent decisions (ms).</param>
/// <param name="ContextsOpen">Decision contexts (KV caches) alive in a shared adapted model, or null for baselines.</param>
/// <param name="SessionsExpired">Sessions closed because they were idle past the timeout.</param>
public sealed record ServerMetrics(int SessionsOpen, long SessionsTotal, long Decisions, LatencySummary Latency, LatencySummary Wait, int? ContextsOpen, long SessionsExpired = 0);

/// <summary>Latency percentiles in ms (zeros when nothing was measured).</summary>
/// <param name="Count">Samples the percentiles are over.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max);

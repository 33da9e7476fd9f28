using NetLlm.Abstractions.Options;

namespace NetLlm.Baselines.Oracle;

/// <summary>Options of <c>abr.oracle</c>.</summary>
public sealed record OracleOptions
{
    /// <summary>
    /// Width of the buffer bins of the search, in seconds: of the partial plans that reach a chunk with the same last
    /// bitrate and a buffer in the same bin, only the best so far is extended. Smaller is closer to the optimum and
    /// slower.
    /// </summary>
    [Option("abr.oracle: buffer bin of the plan search, seconds (smaller: closer to the optimum, slower)", Minimum = 0.001, Maximum = 60, Verbs = VerbScope.Test | VerbScope.Collect | VerbScope.Bench)]
    public double OracleBufferStep { get; init; } = 0.05;
}

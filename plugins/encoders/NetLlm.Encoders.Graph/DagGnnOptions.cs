using NetLlm.Abstractions.Options;

namespace NetLlm.Encoders.Graph;

/// <summary>Options of <c>encoder.dag-gnn</c> (its embedding width is the slot's width).</summary>
public sealed record DagGnnOptions
{
    /// <summary>Hidden width of the node pre-processing MLP (NetLLM's 128).</summary>
    [Option("hidden width of the node pre-processing MLP", Minimum = 1, Maximum = 65536)]
    public int Hidden { get; init; } = 128;
}

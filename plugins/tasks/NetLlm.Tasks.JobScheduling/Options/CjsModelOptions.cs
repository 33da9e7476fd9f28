using NetLlm.Abstractions.Options;

namespace NetLlm.Tasks.JobScheduling.Options;

/// <summary>
/// Options of NetLLM's CJS model: the width of the graph embeddings its state encoder slot expects. The head sizes are
/// fixed as in the original: 100 stage choices plus the "no stage" choice, and 50 executor choices (see
/// <see cref="Model.CjsChoices"/>). The encoder's own options (the hidden width of <c>encoder.dag-gnn</c>, 128) are
/// encoder options: <c>--encoder-option state_encoder.hidden=128</c>.
/// </summary>
public sealed record CjsModelOptions
{
    /// <summary>Width of the node, DAG and global embeddings of the state encoder (the original's sfd).</summary>
    [Option("width of the state encoder's node, DAG and global embeddings (the original's sfd)", Minimum = 1, Maximum = 65536)]
    public int Sfd { get; init; } = 256;
}

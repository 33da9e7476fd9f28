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

    /// <summary>
    /// The stage head never offers "no stage" (index 100): the policy always picks one of the schedulable stages, as
    /// the original's 100-output head and Decima do. Without it a policy learnt from Decima alone can still sample "no
    /// stage" while every executor idles, which ends the episode truncated. Pools holding "no stage" actions (Fair's)
    /// cannot be learnt with it.
    /// </summary>
    [Option("never offer 'no stage' (index 100): always pick a schedulable stage, as the original's 100-output head and Decima (pools with Fair's 'no stage' actions cannot be learnt with it)")]
    public bool AlwaysStage { get; init; }
}

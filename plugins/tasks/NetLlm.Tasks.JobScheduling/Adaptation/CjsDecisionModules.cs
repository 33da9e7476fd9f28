using NetLlm.Tasks.JobScheduling.Graph;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Adaptation;

/// <summary>
/// The trainable parts of NetLLM's CJS model, named as the original's <c>modules_except_plm</c>:
/// <c>state_encoder</c> (DAG GNN, hidden 128, embedding sfd 256), <c>embed_stage_state</c>
/// (<c>Linear(5 + 3·sfd, d)</c>), <c>embed_exec_state</c> (<c>Linear(3 + 2·sfd, d)</c>), <c>embed_action</c>
/// (<c>Linear(2, d)</c>), <c>stage_action_head2</c> (<c>Linear(d, 100 + 1)</c>: 100 stage choices and "no stage")
/// and <c>exec_action_head</c> (<c>Linear(d, 50)</c>).
/// </summary>
public sealed class CjsDecisionModules : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly DagGnnEncoder state_encoder;
    private readonly Linear embed_stage_state;
    private readonly Linear embed_exec_state;
    private readonly Linear embed_action;
    private readonly Linear stage_action_head2;
    private readonly Linear exec_action_head;
#pragma warning restore IDE1006

    /// <summary>Creates the modules with fresh weights.</summary>
    /// <param name="embeddingDim">Token width d.</param>
    /// <param name="settings">Encoder widths.</param>
    public CjsDecisionModules(int embeddingDim, CjsModelSettings settings)
        : base(nameof(CjsDecisionModules))
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (embeddingDim < 1)
        {
            throw new ArgumentException($"token width {embeddingDim} must be positive");
        }

        var sfd = settings.Sfd;
        var f = CjsObservation.FeatureCount;
        state_encoder = new DagGnnEncoder(DagGnnShape.NetLlm(settings.GnnHidden, sfd));
        embed_stage_state = nn.Linear(f + (3 * sfd), embeddingDim);
        embed_exec_state = nn.Linear(ExecFeatures + (2 * sfd), embeddingDim);
        embed_action = nn.Linear(2, embeddingDim);
        stage_action_head2 = nn.Linear(embeddingDim, CjsModelSettings.MaxStages + 1);
        exec_action_head = nn.Linear(embeddingDim, CjsModelSettings.MaxExecutors);
        RegisterComponents();
    }

    /// <summary>Node features of the executor token (the job's first node: commit cap, source flag, supply).</summary>
    public const int ExecFeatures = 3;

    /// <summary>The graph encoder.</summary>
    public DagGnnEncoder StateEncoder => state_encoder;

    /// <summary>Stage token embedding.</summary>
    public Linear EmbedStageState => embed_stage_state;

    /// <summary>Executor token embedding.</summary>
    public Linear EmbedExecState => embed_exec_state;

    /// <summary>Action embedding.</summary>
    public Linear EmbedAction => embed_action;

    /// <summary>Stage head (101 logits).</summary>
    public Linear StageHead => stage_action_head2;

    /// <summary>Executor head (50 logits).</summary>
    public Linear ExecHead => exec_action_head;
}

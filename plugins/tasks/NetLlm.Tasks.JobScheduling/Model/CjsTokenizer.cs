using NetLlm.Abstractions.Models;
using NetLlm.Core.Modules;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.JobScheduling.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Adaptation;

/// <summary>
/// NetLLM's CJS decision model. Segment 0 holds one token per schedulable stage,
/// <c>embed_stage_state([x, h_node, h_dag(job), h_glob])</c>; head 0 (at its last token) picks the stage among the
/// schedulable ones — index <see cref="CjsModelSettings.NoStage"/> means "no stage" (commit the remaining executors
/// to the common pool), which Fair does and the original model cannot express. Segment 1 is the executor token of
/// the chosen stage's job, <c>embed_exec_state([x_dag, h_dag, h_glob])</c> (zeros for the job part after "no
/// stage"); head 1 picks the executor count index k (the environment gets k + 1), valid below the job's commit cap.
/// The action embedding is <c>embed_action([stage / 100, k / 50])</c>. Owns its modules.
/// </summary>
public sealed class CjsDecisionModel : IDecisionModel<CjsObservation>
{
    /// <summary>Logit given to invalid choices.</summary>
    public const float MaskedLogit = -1e9f;

    private readonly CjsDecisionModules _modules;
    private readonly GraphEncodingCache _cache = new();

    /// <summary>Creates the model.</summary>
    /// <param name="embeddingDim">Token width d (the backbone's hidden size).</param>
    /// <param name="settings">Encoder widths.</param>
    public CjsDecisionModel(int embeddingDim, CjsModelSettings settings)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _modules = new CjsDecisionModules(embeddingDim, settings);
        EmbeddingDim = embeddingDim;
    }

    /// <summary>The settings.</summary>
    public CjsModelSettings Settings { get; }

    /// <summary>The modules (also <see cref="Module"/>).</summary>
    public CjsDecisionModules Modules => _modules;

    /// <inheritdoc />
    public nn.Module Module => _modules;

    /// <inheritdoc />
    public int EmbeddingDim { get; }

    /// <inheritdoc />
    public int ActionComponents => 2;

    /// <inheritdoc />
    public IReadOnlyList<int> ComponentChoices { get; } = [CjsModelSettings.MaxStages + 1, CjsModelSettings.MaxExecutors];

    /// <summary>Stage choices valid in <paramref name="state"/>: the first min(n, 100) stages and "no stage".</summary>
    /// <param name="state">The state.</param>
    public static int StageChoices(CjsObservation state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Math.Min(state.SchedulableCount, CjsModelSettings.MaxStages);
    }

    /// <summary>
    /// Executor choices valid after <paramref name="stage"/> was chosen in <paramref name="state"/>: the commit cap of
    /// the stage's job (at most 50), or 1 after "no stage".
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="stage">Chosen stage component.</param>
    public static int ExecutorChoices(CjsObservation state, int stage)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (stage == CjsModelSettings.NoStage)
        {
            return 1;
        }

        CheckStage(state, stage);
        var cap = state.CommitCap(state.JobOfNode(state.SchedulableNodes[stage]));
        return Math.Clamp(cap, 1, CjsModelSettings.MaxExecutors);
    }

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<CjsObservation> states, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(actions);
        if (states.Count != actions.Count || states.Count == 0)
        {
            throw new ArgumentException($"{states.Count} states and {actions.Count} action prefixes (need the same, at least one)");
        }

        return component switch
        {
            0 => StageTokens(states),
            1 => ExecutorTokens(states, actions),
            _ => throw new ArgumentOutOfRangeException(nameof(component), $"CJS has components 0 (stage) and 1 (executors), not {component}"),
        };
    }

    /// <inheritdoc />
    public Tensor Logits(int component, Tensor hidden, IReadOnlyList<CjsObservation> states, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(actions);
        var n = states.Count;
        if (hidden.shape[0] != n || actions.Count != n)
        {
            throw new ArgumentException($"hidden has {hidden.shape[0]} rows for {n} states and {actions.Count} action prefixes");
        }

        using var scope = NewDisposeScope();
        var choices = ComponentChoices[component];
        var valid = new bool[n * choices];
        for (var i = 0; i < n; i++)
        {
            if (component == 0)
            {
                var count = StageChoices(states[i]);
                for (var c = 0; c < count; c++)
                {
                    valid[(i * choices) + c] = true;
                }

                valid[(i * choices) + CjsModelSettings.NoStage] = true;
            }
            else if (component == 1)
            {
                var count = ExecutorChoices(states[i], actions[i][0]);
                for (var c = 0; c < count; c++)
                {
                    valid[(i * choices) + c] = true;
                }
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(component), $"CJS has components 0 and 1, not {component}");
            }
        }

        var head = component == 0 ? _modules.StageHead : _modules.ExecHead;
        var logits = head.forward(hidden.to_type(head.weight.dtype));
        using var mask = tensor(valid, device: logits.device).view(n, choices);
        return logits.masked_fill(mask.logical_not(), CachedScalars.Of(MaskedLogit)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<CjsObservation> states, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(actions);
        var values = new float[actions.Count * 2];
        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i].Length < 2)
            {
                throw new ArgumentException($"action {i} has {actions[i].Length} components; CJS actions have 2");
            }

            values[2 * i] = actions[i][0] / (float)CjsModelSettings.MaxStages;
            values[(2 * i) + 1] = actions[i][1] / (float)CjsModelSettings.MaxExecutors;
        }

        using var scope = NewDisposeScope();
        var input = tensor(values, [actions.Count, 2], device: Device);
        return _modules.EmbedAction.forward(input).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Dispose();
        _modules.Dispose();
    }

    private Device Device => _modules.EmbedAction.weight.device;

    private SegmentTokens StageTokens(IReadOnlyList<CjsObservation> states)
    {
        using var scope = NewDisposeScope();
        var (batch, h) = _cache.Get(states, _modules.StateEncoder, Device);
        var n = states.Count;
        var lengths = new int[n];
        var total = 0;
        for (var i = 0; i < n; i++)
        {
            lengths[i] = states[i].SchedulableCount;
            if (lengths[i] == 0)
            {
                throw new ArgumentException($"state {i} has no schedulable stage; there is no decision to encode");
            }

            total += lengths[i];
        }

        var width = lengths.Max();
        var nodes = new long[total];
        var slots = new long[total];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            var sched = states[i].SchedulableNodes;
            for (var s = 0; s < sched.Length; s++, k++)
            {
                nodes[k] = batch.NodeOffset(i) + sched[s];
                slots[k] = ((long)i * width) + s;
            }
        }

        var device = Device;
        var nodeIndex = tensor(nodes, device: device);
        var observation = new long[total];
        k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var s = 0; s < lengths[i]; s++)
            {
                observation[k++] = i;
            }
        }

        var features = cat(
            [
                batch.Features.index_select(0, nodeIndex),
                h.Node.index_select(0, nodeIndex),
                h.Dag.index_select(0, batch.NodeJob.index_select(0, nodeIndex)),
                h.Global.index_select(0, tensor(observation, device: device)),
            ],
            1);
        var embedded = _modules.EmbedStageState.forward(features);
        var tokens = zeros(n * width, EmbeddingDim, dtype: embedded.dtype, device: device)
            .index_copy(0, tensor(slots, device: device), embedded)
            .view(n, width, EmbeddingDim);
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), lengths);
    }

    private SegmentTokens ExecutorTokens(IReadOnlyList<CjsObservation> states, IReadOnlyList<int[]> actions)
    {
        using var scope = NewDisposeScope();
        var (batch, h) = _cache.Get(states, _modules.StateEncoder, Device);
        var n = states.Count;
        var sfd = Settings.Sfd;
        var device = Device;
        var rows = new List<Tensor>(n);
        for (var i = 0; i < n; i++)
        {
            if (actions[i].Length < 1)
            {
                throw new ArgumentException($"the executor segment of state {i} needs the chosen stage");
            }

            var stage = actions[i][0];
            if (stage == CjsModelSettings.NoStage)
            {
                rows.Add(cat([zeros(1, CjsDecisionModules.ExecFeatures + sfd, device: device), h.Global[i].unsqueeze(0)], 1));
                continue;
            }

            CheckStage(states[i], stage);
            var job = states[i].JobOfNode(states[i].SchedulableNodes[stage]);
            var firstNode = batch.NodeOffset(i) + states[i].JobPtr[job];
            rows.Add(cat(
                [
                    batch.Features[firstNode].narrow(0, 0, CjsDecisionModules.ExecFeatures).unsqueeze(0),
                    h.Dag[batch.JobOffset(i) + job].unsqueeze(0),
                    h.Global[i].unsqueeze(0),
                ],
                1));
        }

        var tokens = _modules.EmbedExecState.forward(cat(rows, 0)).unsqueeze(1);
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), Enumerable.Repeat(1, n).ToArray());
    }

    private static void CheckStage(CjsObservation state, int stage)
    {
        if (stage < 0 || stage >= StageChoices(state))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), $"stage component {stage} is not a schedulable stage (0..{StageChoices(state) - 1}) or 'no stage' ({CjsModelSettings.NoStage})");
        }
    }
}

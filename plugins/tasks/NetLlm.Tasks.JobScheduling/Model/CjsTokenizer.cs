using NetLlm.Abstractions.Encoders;
using NetLlm.Abstractions.Encoders.Modalities;
using NetLlm.Abstractions.Models;
using NetLlm.Tasks.JobScheduling.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// The task's part of NetLLM's CJS decision model, with the graph encoding of slot <see cref="StateSlot"/> (width e,
/// the original's sfd). Segment 0 holds one token per schedulable stage, <c>embed_stage_state([x, h_node, h_dag(job),
/// h_glob])</c>; head 0 (at its last token) picks the stage (<see cref="CjsChoices"/>). Segment 1 is the executor token
/// of the chosen stage's job, <c>embed_exec_state([x_dag, h_dag, h_glob])</c> (zeros for the job part after "no
/// stage"); head 1 picks the executor count index. The action embedding is <c>embed_action([stage / 100, k / 50])</c>.
/// Modules (state-dict names of the original's <c>modules_except_plm</c>): <c>embed_stage_state</c>
/// (<c>Linear(5 + 3e, d)</c>), <c>embed_exec_state</c> (<c>Linear(3 + 2e, d)</c>), <c>embed_action</c> (<c>Linear(2, d)</c>).
/// </summary>
public sealed class CjsTokenizer : IDecisionTokenizer<CjsObservation>
{
    /// <summary>The encoder slot of the job DAGs.</summary>
    public const string StateSlot = "state_encoder";

    /// <summary>Node features of the executor token (the job's first node: commit cap, source flag, supply).</summary>
    public const int ExecFeatures = 3;

    private readonly IModalityEncoder<DagBatch, DagEncoding> _encoder;
    private readonly GraphEncodingCache _cache = new();
    private readonly Linear _embedStageState;
    private readonly Linear _embedExecState;
    private readonly Linear _embedAction;

    /// <summary>Creates the tokenizer's modules with fresh weights (after the slot encoders, before the heads).</summary>
    /// <param name="context">Token width d and the slot encoders.</param>
    /// <param name="alwaysStage">Never offer "no stage" (<see cref="CjsModelOptions.AlwaysStage"/>).</param>
    public CjsTokenizer(ModelContext context, bool alwaysStage = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        AlwaysStage = alwaysStage;
        _encoder = context.Encoder<IModalityEncoder<DagBatch, DagEncoding>>(StateSlot);
        var d = context.EmbeddingDim;
        var e = _encoder.EmbeddingDim;
        EmbeddingDim = d;
        _embedStageState = nn.Linear(CjsObservation.FeatureCount + (3 * e), d);
        _embedExecState = nn.Linear(ExecFeatures + (2 * e), d);
        _embedAction = nn.Linear(2, d);
        Modules =
        [
            new("embed_stage_state", _embedStageState),
            new("embed_exec_state", _embedExecState),
            new("embed_action", _embedAction),
        ];
    }

    /// <summary>Token width d.</summary>
    public int EmbeddingDim { get; }

    /// <summary>True when the stage head never offers "no stage".</summary>
    public bool AlwaysStage { get; }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<string, nn.Module>> Modules { get; }

    private Device Device => _embedAction.weight!.device;

    /// <inheritdoc />
    public SegmentTokens EncodeSegment(int component, IReadOnlyList<CjsObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        CheckBatch(observations, prefixes);
        return component switch
        {
            0 => StageTokens(observations),
            1 => ExecutorTokens(observations, prefixes),
            _ => throw new ArgumentOutOfRangeException(nameof(component), $"CJS has components 0 (stage) and 1 (executors), not {component}"),
        };
    }

    /// <inheritdoc />
    public Tensor? ValidChoices(int component, IReadOnlyList<CjsObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        CheckBatch(observations, prefixes);
        var n = observations.Count;
        var choices = component switch
        {
            0 => CjsChoices.StageOutputs,
            1 => CjsChoices.MaxExecutors,
            _ => throw new ArgumentOutOfRangeException(nameof(component), $"CJS has components 0 and 1, not {component}"),
        };
        var valid = new bool[n * choices];
        for (var i = 0; i < n; i++)
        {
            var count = component == 0 ? CjsChoices.Stages(observations[i]) : CjsChoices.Executors(observations[i], prefixes[i][0]);
            for (var c = 0; c < count; c++)
            {
                valid[(i * choices) + c] = true;
            }

            if (component == 0 && !AlwaysStage)
            {
                valid[(i * choices) + CjsChoices.NoStage] = true;
            }
        }

        return tensor(valid, [n, choices], device: Device);
    }

    /// <inheritdoc />
    public Tensor EmbedAction(IReadOnlyList<CjsObservation> observations, IReadOnlyList<int[]> actions)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(actions);
        var values = new float[actions.Count * 2];
        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i].Length < 2)
            {
                throw new ArgumentException($"action {i} has {actions[i].Length} components; CJS actions have 2");
            }

            values[2 * i] = actions[i][0] / (float)CjsChoices.MaxStages;
            values[(2 * i) + 1] = actions[i][1] / (float)CjsChoices.MaxExecutors;
        }

        using var scope = NewDisposeScope();
        var input = tensor(values, [actions.Count, 2], device: Device);
        return _embedAction.forward(input).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    private static void CheckBatch(IReadOnlyList<CjsObservation> observations, IReadOnlyList<int[]> prefixes)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (observations.Count != prefixes.Count || observations.Count == 0)
        {
            throw new ArgumentException($"{observations.Count} states and {prefixes.Count} action prefixes (need the same, at least one)");
        }
    }

    private SegmentTokens StageTokens(IReadOnlyList<CjsObservation> states)
    {
        using var scope = NewDisposeScope();
        var (batch, h) = _cache.Get(states, _encoder, Device);
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
        var observation = new long[total];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            var sched = states[i].SchedulableNodes;
            for (var s = 0; s < sched.Length; s++, k++)
            {
                nodes[k] = batch.NodeOffsets[i] + sched[s];
                slots[k] = ((long)i * width) + s;
                observation[k] = i;
            }
        }

        var device = Device;
        var nodeIndex = tensor(nodes, device: device);
        var features = cat(
            [
                batch.NodeFeatures.index_select(0, nodeIndex),
                h.Node.index_select(0, nodeIndex),
                h.Dag.index_select(0, batch.NodeDag.index_select(0, nodeIndex)),
                h.Global.index_select(0, tensor(observation, device: device)),
            ],
            1);
        var embedded = _embedStageState.forward(features);
        var tokens = zeros(n * width, EmbeddingDim, dtype: embedded.dtype, device: device)
            .index_copy(0, tensor(slots, device: device), embedded)
            .view(n, width, EmbeddingDim);
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), lengths);
    }

    private SegmentTokens ExecutorTokens(IReadOnlyList<CjsObservation> states, IReadOnlyList<int[]> prefixes)
    {
        using var scope = NewDisposeScope();
        var (batch, h) = _cache.Get(states, _encoder, Device);
        var n = states.Count;
        var e = _encoder.EmbeddingDim;
        var device = Device;
        var rows = new List<Tensor>(n);
        for (var i = 0; i < n; i++)
        {
            if (prefixes[i].Length < 1)
            {
                throw new ArgumentException($"the executor segment of state {i} needs the chosen stage");
            }

            var stage = prefixes[i][0];
            if (stage == CjsChoices.NoStage)
            {
                rows.Add(cat([zeros(1, ExecFeatures + e, device: device), h.Global[i].unsqueeze(0)], 1));
                continue;
            }

            CjsChoices.CheckStage(states[i], stage);
            var job = states[i].JobOfNode(states[i].SchedulableNodes[stage]);
            var firstNode = batch.NodeOffsets[i] + states[i].JobPtr[job];
            rows.Add(cat(
                [
                    batch.NodeFeatures[firstNode].narrow(0, 0, ExecFeatures).unsqueeze(0),
                    h.Dag[batch.DagOffsets[i] + job].unsqueeze(0),
                    h.Global[i].unsqueeze(0),
                ],
                1));
        }

        var tokens = _embedExecState.forward(cat(rows, 0)).unsqueeze(1);
        return new SegmentTokens(tokens.MoveToOuterDisposeScope(), Enumerable.Repeat(1, n).ToArray());
    }
}

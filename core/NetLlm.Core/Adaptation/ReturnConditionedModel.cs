using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// NetLLM's return-conditioned decision model around a task's <see cref="IDecisionModel{TState}"/>: the return
/// embedding, the timestep embedding added to every token of a step, and the layer norm over the embedded sequence
/// (the original's <c>embed_return</c>, <c>embed_timestep</c>, <c>embed_ln</c>). Everything here plus the task's
/// encoders and heads is trainable; the backbone is driven with input embeddings. State-dict names:
/// <c>embed_return.*</c>, <c>embed_timestep.*</c>, <c>embed_ln.*</c>, <c>task.*</c>.
/// </summary>
/// <typeparam name="TState">State type.</typeparam>
public sealed class ReturnConditionedModel<TState> : nn.Module
{
#pragma warning disable IDE1006 // state-dict names
    private readonly Linear embed_return;
    private readonly Embedding embed_timestep;
    private readonly LayerNorm embed_ln;
#pragma warning restore IDE1006

    /// <summary>Creates the model.</summary>
    /// <param name="task">The task's encoders and heads (registered as child <c>task</c>, owned by this module).</param>
    /// <param name="maxTimestep">Largest timestep in the pool; the timestep table has <c>maxTimestep + 1</c> rows.</param>
    public ReturnConditionedModel(IDecisionModel<TState> task, int maxTimestep)
        : base("ReturnConditionedModel")
    {
        Task = task;
        MaxTimestep = maxTimestep;
        var d = task.EmbeddingDim;
        embed_return = nn.Linear(1, d);
        embed_timestep = nn.Embedding(maxTimestep + 1, d);
        embed_ln = nn.LayerNorm(d);
        RegisterComponents();
        register_module("task", task.Module);
    }

    /// <summary>The task's encoders and heads.</summary>
    public IDecisionModel<TState> Task { get; }

    /// <summary>Largest timestep index of the embedding table.</summary>
    public int MaxTimestep { get; }

    /// <summary>Token width.</summary>
    public int EmbeddingDim => Task.EmbeddingDim;

    /// <summary>
    /// Training loss of a batch: the sum over action components of the mean cross-entropy of each head at the last
    /// token of its segment, over every step of every window. Returns a scalar owned by the caller.
    /// </summary>
    /// <param name="backbone">The backbone (with adapters).</param>
    /// <param name="batch">The batch.</param>
    public Tensor Loss(IBackbone backbone, DecisionBatch<TState> batch)
    {
        using var scope = NewDisposeScope();
        var logits = ComponentLogits(backbone, batch);
        var device = embed_ln.weight.device;
        Tensor? loss = null;
        for (var j = 0; j < logits.Count; j++)
        {
            var labels = tensor(batch.Actions.Select(a => (long)a[j]).ToArray(), device: device);
            CheckLabels(logits[j], labels, j, batch.PoolSteps);
            var ce = nn.functional.cross_entropy(logits[j], labels);
            loss = loss is null ? ce : loss.add(ce);
        }

        return loss!.MoveToOuterDisposeScope();
    }

    /// <summary>Throws <see cref="MaskedLabelException"/> when a label's logit is masked (not a valid choice of its state).</summary>
    private static void CheckLabels(Tensor logits, Tensor labels, int component, int[]? poolSteps)
    {
        using var scope = NewDisposeScope();
        var masked = logits.gather(1, labels.unsqueeze(1)).squeeze(1).le(LinearHead.MaskedLogit / 2);
        if (masked.any().item<bool>())
        {
            var k = (int)masked.nonzero()[0, 0].item<long>();
            throw new MaskedLabelException(poolSteps?[k] ?? k, component, labels[k].item<long>());
        }
    }

    /// <summary>
    /// Logits of every action component for every step of the batch, computed in the training layout (one forward
    /// pass over each window). Returns one tensor <c>[n, choices_j]</c> per component, owned by the caller.
    /// </summary>
    /// <param name="backbone">The backbone (with adapters).</param>
    /// <param name="batch">The batch (its actions are the components fed back as action tokens and segment prefixes).</param>
    public IReadOnlyList<Tensor> ComponentLogits(IBackbone backbone, DecisionBatch<TState> batch)
    {
        using var scope = NewDisposeScope();
        var n = batch.States.Count;
        var components = Task.ActionComponents;
        var device = embed_ln.weight.device;
        var time = TimestepEmbedding(batch.Timesteps, device);
        using var rtg = tensor(batch.ReturnsToGo, device: device).view(n, 1);
        var returns = embed_return.forward(rtg).add(time);
        var segments = new List<(Tensor Tokens, int[] Lengths, int Width)>(components);
        var prefixes = new List<IReadOnlyList<int[]>>(components);
        for (var j = 0; j < components; j++)
        {
            var prefix = Prefix(batch.Actions, j);
            prefixes.Add(prefix);
            var seg = Task.EncodeSegment(j, batch.States, prefix);
            if (seg.Tokens.shape[0] != n || seg.Lengths.Length != n)
            {
                throw new InvalidOperationException($"the task model's segment {j} returned {seg.Tokens.shape[0]} rows for {n} steps");
            }

            var width = (int)seg.Tokens.shape[1];
            segments.Add((seg.Tokens.add(time.unsqueeze(1)).reshape(n * width, EmbeddingDim), seg.Lengths, width));
        }

        var actions = Task.EmbedAction(batch.States, batch.Actions).add(time);
        var pieces = new List<Tensor> { returns };
        pieces.AddRange(segments.Select(s => s.Tokens));
        pieces.Add(actions);
        pieces.Add(zeros(1, EmbeddingDim, device: device));
        var rows = cat(pieces, 0);
        var layout = SequenceLayout.Build(batch.WindowLengths, segments.Select(s => (s.Lengths, s.Width)).ToList(), n);
        using var index = tensor(layout.RowIndex, device: device);
        var embedded = embed_ln.forward(rows.index_select(0, index).view(layout.Batch, layout.MaxLength, EmbeddingDim));
        Tensor? mask = layout.Padded ? tensor(layout.Mask, device: device).view(layout.Batch, layout.MaxLength) : null;

        // Only the head positions are read: the backbone computes its last layer for those alone.
        var (positions, selected, headRows) = layout.HeadSelection();
        using var select = tensor(positions, device: device).view(layout.Batch, selected);
        using var output = backbone.Forward(new BackboneInput
        {
            InputsEmbeds = embedded.dtype == backbone.ComputeDType ? embedded : embedded.to_type(backbone.ComputeDType),
            AttentionMask = mask,
            OutputPositions = select,
        });
        var hidden = output.LastHiddenState.to_type(ScalarType.Float32).reshape(layout.Batch * selected, EmbeddingDim);
        var result = new List<Tensor>(components);
        for (var j = 0; j < components; j++)
        {
            using var at = tensor(headRows[j], device: device);
            var h = hidden.index_select(0, at);
            result.Add(Task.Logits(j, h, batch.States, prefixes[j]).MoveToOuterDisposeScope());
        }

        return result;
    }

    /// <summary>Timestep embeddings <c>[n, d]</c> (timesteps clamped to the table); caller owns.</summary>
    /// <param name="timesteps">Timesteps.</param>
    /// <param name="device">Device.</param>
    public Tensor TimestepEmbedding(long[] timesteps, Device device)
    {
        var clamped = timesteps.Select(t => Math.Clamp(t, 0, MaxTimestep)).ToArray();
        using var ids = tensor(clamped, device: device);
        return embed_timestep.forward(ids);
    }

    /// <summary>The return token of one step (timestep embedding added), <c>[1, d]</c>, before the layer norm.</summary>
    /// <param name="targetReturn">Processed target return.</param>
    /// <param name="time">Timestep embedding <c>[1, d]</c>.</param>
    public Tensor ReturnToken(double targetReturn, Tensor time)
    {
        using var r = tensor(new[] { (float)targetReturn }, device: time.device).view(1, 1);
        return embed_return.forward(r).add(time);
    }

    /// <summary>Applies the sequence layer norm (caller owns the result).</summary>
    /// <param name="tokens">Tokens <c>[..., d]</c>.</param>
    public Tensor Normalize(Tensor tokens) => embed_ln.forward(tokens);

    /// <summary>The first <paramref name="count"/> components of every action.</summary>
    /// <param name="actions">Actions.</param>
    /// <param name="count">Components to keep.</param>
    public static IReadOnlyList<int[]> Prefix(IReadOnlyList<int[]> actions, int count) =>
        actions.Select(a => a.Length == count ? a : a[..count]).ToList();
}

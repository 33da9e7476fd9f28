using NetLlm.Abstractions.Backbones;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The decision context of an adapted policy at inference: the last steps' tokens, kept in the backbone's KV cache
/// so that one decision costs one forward pass over the new step's tokens only.
/// <para>
/// A step is fed as <c>[a(previous step), R, segment 0]</c>, then each further segment after its component is chosen;
/// this is the training layout <c>[R, segments..., a]</c> per step. The context holds at most
/// <see cref="MaxSteps"/> steps including the current one (the training window w; the original lets it reach w + 1).
/// When it slides, the oldest step is evicted from the cache: for rotary-position backbones attention depends only on
/// relative positions, so this equals recomputing the remaining window; for learned absolute positions (GPT-2, OPT)
/// the window is recomputed from the stored token embeddings instead. With <see cref="Recompute"/> every decision runs
/// the whole window again (the original's cost), the reference the cached path is tested against.
/// </para>
/// </summary>
/// <typeparam name="TState">State type.</typeparam>
public sealed class DecisionContext<TState> : IDisposable
{
    private readonly ReturnConditionedModel<TState> _model;
    private readonly IBackbone _backbone;
    private readonly LinkedList<Tensor> _steps = new();
    private readonly IKvCache _cache;
    private Tensor? _pending;
    private bool _rebuild;

    /// <summary>Creates an empty context.</summary>
    /// <param name="model">The adapted decision model.</param>
    /// <param name="backbone">The backbone (with adapters).</param>
    /// <param name="maxSteps">Steps in context including the current one.</param>
    /// <param name="recompute">Recompute the whole window every decision instead of using the cache.</param>
    /// <param name="actionTimestep">Add the timestep embedding to action tokens (false reproduces the original CJS inference).</param>
    public DecisionContext(ReturnConditionedModel<TState> model, IBackbone backbone, int maxSteps, bool recompute = false, bool actionTimestep = true)
    {
        if (maxSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSteps), "the context must hold at least the current step");
        }

        _model = model;
        _backbone = backbone;
        MaxSteps = maxSteps;
        Recompute = recompute;
        ActionTimestep = actionTimestep;
        _cache = backbone.CreateCache();
    }

    /// <summary>Steps in context including the current one.</summary>
    public int MaxSteps { get; }

    /// <summary>Recompute the window at every decision.</summary>
    public bool Recompute { get; }

    /// <summary>Whether action tokens get the timestep embedding.</summary>
    public bool ActionTimestep { get; }

    /// <summary>Complete steps currently in context.</summary>
    public int Steps => _steps.Count;

    /// <summary>Logits of each component at the last decision (owned by the context; valid until the next one).</summary>
    public IReadOnlyList<Tensor> LastLogits => _lastLogits;

    private readonly List<Tensor> _lastLogits = [];

    /// <summary>Empties the context (a new episode).</summary>
    public void Reset()
    {
        foreach (var t in _steps)
        {
            t.Dispose();
        }

        _steps.Clear();
        _pending?.Dispose();
        _pending = null;
        _cache.Clear();
        _rebuild = false;
        ClearLogits();
    }

    /// <summary>
    /// Decides the action components for <paramref name="state"/> at <paramref name="timestep"/> given the target
    /// return, choosing each component from its logits with <paramref name="choose"/> (sampling or argmax).
    /// </summary>
    /// <param name="state">Current state.</param>
    /// <param name="timestep">Timestep within the episode.</param>
    /// <param name="targetReturn">Processed target return.</param>
    /// <param name="choose">Picks a choice from logits <c>[choices]</c> (float32, CPU).</param>
    public int[] Decide(TState state, long timestep, double targetReturn, Func<int, float[], int> choose)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ClearLogits();
        Slide();
        var device = _backbone.Device;
        var time = _model.TimestepEmbedding([timestep], device);
        var states = new[] { state };
        var components = _model.Task.ActionComponents;
        var chosen = new List<int>(components);
        var stepTokens = new List<Tensor>();
        var r = _model.Normalize(_model.ReturnToken(targetReturn, time));
        stepTokens.Add(r);
        for (var j = 0; j < components; j++)
        {
            using var segment = _model.Task.EncodeSegment(j, states, [chosen.ToArray()]);
            var tokens = segment.Tokens[0].narrow(0, 0, segment.Lengths[0]).add(time);
            var normalized = _model.Normalize(tokens);
            stepTokens.Add(normalized);
            var feed = j == 0 ? (_pending is null ? cat([r, normalized], 0) : cat([_pending, r, normalized], 0)) : normalized;
            var hidden = Feed(feed, stepTokens, j == 0);
            var last = hidden[^1].unsqueeze(0).to_type(ScalarType.Float32);
            var logits = _model.Task.Logits(j, last, states, [chosen.ToArray()]).squeeze(0).to_type(ScalarType.Float32).cpu();
            var kept = logits.detach().clone();
            kept.DetachFromDisposeScope();
            _lastLogits.Add(kept);
            chosen.Add(choose(j, logits.data<float>().ToArray()));
        }

        var action = _model.Task.EmbedAction(states, [chosen.ToArray()]);
        if (ActionTimestep)
        {
            action = action.add(time);
        }

        var actionToken = _model.Normalize(action);
        stepTokens.Add(actionToken);
        var step = cat(stepTokens, 0);
        step.DetachFromDisposeScope();
        _steps.AddLast(step);
        _pending?.Dispose();
        _pending = actionToken.detach().clone();
        _pending.DetachFromDisposeScope();
        return [.. chosen];
    }

    private void Slide()
    {
        // Steps already in context (the previous step's action token is still pending) plus the current one.
        while (_steps.Count + 1 > MaxSteps)
        {
            var oldest = _steps.First!.Value;
            var inCache = (int)oldest.shape[0];
            _steps.RemoveFirst();
            if (_steps.Count == 0)
            {
                // The evicted step is the previous one, whose action token has not been fed yet.
                _pending?.Dispose();
                _pending = null;
                inCache -= 1;
            }

            if (!Recompute && _backbone.PositionEncoding == PositionEncoding.Rotary)
            {
                _cache.DropFirst(Math.Min(inCache, _cache.Length));
            }
            else
            {
                _rebuild = true;
            }

            oldest.Dispose();
        }
    }

    private Tensor Feed(Tensor newTokens, List<Tensor> currentStep, bool startOfStep)
    {
        _ = startOfStep;
        if (!Recompute && !_rebuild)
        {
            return Run(newTokens);
        }

        // Rebuild the whole context: the kept steps (the last one ends with the pending action token) and the
        // current step's tokens so far; return the rows of the new tokens.
        _cache.Clear();
        _rebuild = false;
        var parts = new List<Tensor>(_steps.Count + currentStep.Count);
        parts.AddRange(_steps);
        parts.AddRange(currentStep);
        using var input = cat(parts, 0);
        var hidden = Run(input);
        return hidden.narrow(0, hidden.shape[0] - newTokens.shape[0], newTokens.shape[0]);
    }

    private Tensor Run(Tensor tokens)
    {
        var embeds = tokens.unsqueeze(0);
        if (embeds.dtype != _backbone.ComputeDType)
        {
            embeds = embeds.to_type(_backbone.ComputeDType);
        }

        using var output = _backbone.Forward(new BackboneInput { InputsEmbeds = embeds, Cache = _cache });
        return output.LastHiddenState[0].clone();
    }

    private void ClearLogits()
    {
        foreach (var l in _lastLogits)
        {
            l.Dispose();
        }

        _lastLogits.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Reset();
        _cache.Dispose();
    }
}

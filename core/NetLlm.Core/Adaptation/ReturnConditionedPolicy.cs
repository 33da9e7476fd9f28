using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Policies;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Adaptation;

/// <summary>How an adapted decision policy acts.</summary>
public sealed record DecisionPolicyOptions
{
    /// <summary>Take the most likely choice instead of sampling (the original samples).</summary>
    public bool Argmax { get; init; }

    /// <summary>
    /// The original's inference: the decision context is never cleared between episodes and holds up to w previous
    /// steps plus the current one. By default it is cleared per episode and holds w steps including the current one,
    /// as in training.
    /// </summary>
    public bool OriginalContext { get; init; }

    /// <summary>Recompute the whole window at every decision instead of using the KV cache.</summary>
    public bool Recompute { get; init; }

    /// <summary>Leave the timestep embedding off action tokens at inference (the original CJS behaviour).</summary>
    public bool OmitActionTimestep { get; init; }

    /// <summary>Target return = this × the largest return in the pool.</summary>
    public double TargetReturnScale { get; init; } = 1.0;

    /// <summary>Sampling temperature: choices are drawn from softmax(logits / T); 1 is the learned distribution.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Seed of the sampling stream.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// An adapted NetLLM policy for a decision task: conditions on a target return that decreases with every processed
/// reward, decides each action component with the task's heads in one forward pass per component over the new
/// tokens (KV cache), and always answers with a valid action (invalid choices are masked by the heads).
/// </summary>
/// <typeparam name="TState">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public sealed class ReturnConditionedPolicy<TState, TAction> : IPolicy<TState, TAction>
{
    private readonly IActionCodec<TState, TAction> _actions;
    private readonly ReturnConditioning _conditioning;
    private readonly DecisionPolicyOptions _options;
    private readonly DecisionContext<TState> _context;
    private readonly Random _random;
    private readonly IDisposable? _owned;
    private double _target;
    private long _timestep;
    private bool _started;

    /// <summary>Creates the policy.</summary>
    /// <param name="id">Policy id (the run directory).</param>
    /// <param name="actions">How the task's actions split into head components.</param>
    /// <param name="model">The adapted decision model.</param>
    /// <param name="backbone">The backbone with its adapter.</param>
    /// <param name="conditioning">Reward processing from the pool.</param>
    /// <param name="window">Training context window w.</param>
    /// <param name="options">Sampling and faithfulness options.</param>
    /// <param name="owned">Disposed with the policy (the loaded run).</param>
    public ReturnConditionedPolicy(string id, IActionCodec<TState, TAction> actions, ReturnConditionedModel<TState> model, IBackbone backbone, ReturnConditioning conditioning, int window, DecisionPolicyOptions options, IDisposable? owned = null)
    {
        Id = id;
        _actions = actions;
        _conditioning = conditioning;
        _options = options;
        _owned = owned;
        _random = new Random(options.Seed);
        _context = new DecisionContext<TState>(model, backbone, options.OriginalContext ? window + 1 : window, options.Recompute, !options.OmitActionTimestep);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>The decision context (for inspection in tests).</summary>
    public DecisionContext<TState> Context => _context;

    /// <inheritdoc />
    public void BeginEpisode()
    {
        _target = _conditioning.MaxReturn * _options.TargetReturnScale;
        _timestep = 0;
        if (!_options.OriginalContext || !_started)
        {
            _context.Reset();
        }

        _started = true;
    }

    /// <inheritdoc />
    public TAction Act(TState observation)
    {
        if (!_started)
        {
            BeginEpisode();
        }

        var components = _context.Decide(observation, _timestep, _target, Choose);
        _timestep++;
        return _actions.FromComponents(observation, components);
    }

    /// <inheritdoc />
    public void Observe(double reward, bool done) => _target -= _conditioning.Process(reward);

    private int Choose(int component, float[] logits)
    {
        _ = component;
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        if (_options.Argmax)
        {
            return best;
        }

        var max = logits[best];
        var weights = new double[logits.Length];
        double total = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            weights[i] = Math.Exp((logits[i] - max) / _options.Temperature);
            total += weights[i];
        }

        var u = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u <= 0 && weights[i] > 0)
            {
                return i;
            }
        }

        return best;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _context.Dispose();
        _owned?.Dispose();
    }
}

using NetLlm.Abstractions.Backbones;
using NetLlm.Abstractions.Tasks;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// A loaded adapted run (the return-conditioned model and the backbone with its adapter) from which any number of
/// policies are created. Each policy has its own <see cref="DecisionContext{TState}"/> (its steps and KV cache), target
/// return and sampling stream, and shares the weights; disposing a policy frees only its context. The source owns the
/// model and the backbone and frees them when disposed, after its policies.
/// <para>
/// The policies must not decide at the same time: they run forward passes through the one model. A host that serves
/// several at once serialises their <c>Act</c> calls (<c>netllm serve</c> holds one inference lock).
/// </para>
/// </summary>
/// <typeparam name="TState">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public sealed class AdaptedPolicySource<TState, TAction> : IDisposable
{
    private readonly IActionCodec<TState, TAction> _actions;
    private readonly ReturnConditionedModel<TState> _model;
    private readonly IBackbone _backbone;
    private readonly ReturnConditioning _conditioning;
    private readonly int _window;
    private readonly DecisionPolicyOptions _options;
    private readonly IDisposable _owned;
    private int _live;
    private bool _disposed;

    /// <summary>Creates the source.</summary>
    /// <param name="id">Policy id (the run directory).</param>
    /// <param name="actions">How the task's actions split into head components.</param>
    /// <param name="model">The adapted decision model.</param>
    /// <param name="backbone">The backbone with its adapter.</param>
    /// <param name="conditioning">Reward processing from the pool.</param>
    /// <param name="window">Training context window w.</param>
    /// <param name="options">Sampling and faithfulness options (the seed is each policy's).</param>
    /// <param name="owned">The loaded run (model and backbone), disposed with the source.</param>
    public AdaptedPolicySource(string id, IActionCodec<TState, TAction> actions, ReturnConditionedModel<TState> model, IBackbone backbone, ReturnConditioning conditioning, int window, DecisionPolicyOptions options, IDisposable owned)
    {
        Id = id;
        _actions = actions;
        _model = model;
        _backbone = backbone;
        _conditioning = conditioning;
        _window = window;
        _options = options;
        _owned = owned;
    }

    /// <summary>Policy id (the run directory).</summary>
    public string Id { get; }

    /// <summary>Policies created and not yet disposed (each holds a decision context).</summary>
    public int LivePolicies => Volatile.Read(ref _live);

    /// <summary>A new policy over the shared model with its own context; disposing it frees the context only.</summary>
    /// <param name="seed">Seed of its sampling stream.</param>
    public ReturnConditionedPolicy<TState, TAction> CreatePolicy(int seed) => Create(seed, null);

    /// <summary>A policy that owns this source: disposing the policy disposes the loaded run too (one-policy use).</summary>
    /// <param name="seed">Seed of its sampling stream.</param>
    public ReturnConditionedPolicy<TState, TAction> CreateOwningPolicy(int seed) => Create(seed, this);

    private ReturnConditionedPolicy<TState, TAction> Create(int seed, IDisposable? also)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var policy = new ReturnConditionedPolicy<TState, TAction>(Id, _actions, _model, _backbone, _conditioning, _window, _options with { Seed = seed }, new Release(this, also));
        Interlocked.Increment(ref _live);
        return policy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _owned.Dispose();
    }

    private sealed class Release(AdaptedPolicySource<TState, TAction> source, IDisposable? also) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                Interlocked.Decrement(ref source._live);
                also?.Dispose();
            }
        }
    }
}

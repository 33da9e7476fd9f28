using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.Decima;

/// <summary>
/// Provides the pretrained Decima (<c>cjs.decima</c>): its actor with the weights of <see cref="DecimaOptions.DecimaWeights"/>,
/// sampling with the run's seed unless <see cref="DecimaOptions.Argmax"/>.
/// </summary>
public sealed class DecimaPolicyProvider : IPolicyProvider<CjsObservation, CjsAction, DecimaOptions>
{
    /// <inheritdoc />
    public string Id => "cjs.decima";

    /// <inheritdoc />
    public string TaskId => CjsTask.TaskId;

    /// <inheritdoc />
    public string Description => "Decima (pretrained GNN + policy networks of spark-sched-sim); samples like the original, --argmax for greedy";

    /// <inheritdoc />
    public IReadOnlyList<string> RequiredData => [CjsTask.DecimaWeights];

    /// <inheritdoc />
    public IPolicy<CjsObservation, CjsAction> Create(PolicyContext context, DecimaOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var weights = options.DecimaWeights;
        if (!Path.IsPathRooted(weights))
        {
            weights = Path.Combine(context.DataRoot ?? throw new ArgumentException("cjs.decima needs a data root to find its weights"), weights);
        }

        var actor = new DecimaActor();
        try
        {
            DecimaWeights.Load(actor, weights, options.AllowPickle);
        }
        catch
        {
            actor.Dispose();
            throw;
        }

        return new DecimaScheduler(actor, context.Seed, options.Argmax);
    }
}

using NetLlm.Abstractions.Policies;
using NetLlm.Tasks.JobScheduling;

namespace NetLlm.Baselines.Scheduling;

/// <summary>
/// Provides the pretrained Decima (<c>cjs.decima</c>). Options: <c>decima-weights</c> (path under the data root or
/// absolute; default <c>cjs/models/decima/model_state_dict.json</c>), <c>allow-pickle</c> (permit a .pt checkpoint),
/// <c>argmax</c> (greedy decisions).
/// </summary>
public sealed class DecimaPolicyProvider : ILegacyPolicyProvider
{
    /// <summary>Default weights, relative to the data root.</summary>
    public const string DefaultWeights = "cjs/models/decima/model_state_dict.json";

    /// <inheritdoc />
    public string Id => "cjs.decima";

    /// <inheritdoc />
    public string TaskId => "cjs";

    /// <inheritdoc />
    public string Description => "Decima (pretrained GNN + policy networks of spark-sched-sim); samples like the original, --argmax for greedy";

    /// <inheritdoc />
    public Type ObservationType => typeof(CjsObservation);

    /// <inheritdoc />
    public Type ActionType => typeof(CjsAction);

    /// <inheritdoc />
    public object Create(PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var weights = request.Options.TryGetValue("decima-weights", out var w) && w.Length > 0 ? w : DefaultWeights;
        if (!Path.IsPathRooted(weights))
        {
            weights = Path.Combine(request.DataRoot ?? throw new ArgumentException("cjs.decima needs a data root to find its weights"), weights);
        }

        var actor = new DecimaActor();
        try
        {
            DecimaWeights.Load(actor, weights, request.Flag("allow-pickle"));
        }
        catch
        {
            actor.Dispose();
            throw;
        }

        return new DecimaScheduler(actor, request.Seed, request.Flag("argmax"));
    }
}

namespace NetLlm.Abstractions.Policies;

/// <summary>
/// Optional for a policy whose observations are independent (a predictor): answers many observations at once (neural
/// predictors batch them). Results must equal calling <see cref="IPolicy{TObservation, TAction}.Act"/> per observation.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public interface IBatchPolicy<TObservation, TAction>
{
    /// <summary>Actions for <paramref name="observations"/>, in order (inputs borrowed).</summary>
    /// <param name="observations">Observations.</param>
    IReadOnlyList<TAction> ActBatch(IReadOnlyList<TObservation> observations);
}

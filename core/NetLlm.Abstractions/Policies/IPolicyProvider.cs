namespace NetLlm.Abstractions.Policies;

/// <summary>
/// Creates policies of one kind for one task (a baseline algorithm). Exported through MEF: any public class
/// implementing this interface in a plugin assembly is discovered. Implement
/// <see cref="IPolicyProvider{TObservation, TAction, TOptions}"/>, which types the policy and its options.
/// </summary>
public interface IPolicyProvider
{
    /// <summary>Policy id, <c>&lt;task&gt;.&lt;name&gt;</c>, for example <c>abr.bba</c>.</summary>
    string Id { get; }

    /// <summary>Id of the task whose environment the policy acts in.</summary>
    string TaskId { get; }

    /// <summary>One-line description.</summary>
    string Description { get; }

    /// <summary>Observation type of the policies created (must match the task's).</summary>
    Type ObservationType { get; }

    /// <summary>Action type of the policies created.</summary>
    Type ActionType { get; }

    /// <summary>The policy's options record (see <see cref="Options.OptionAttribute"/>).</summary>
    Type OptionsType { get; }

    /// <summary>Files under the data root the policy needs (its weights); it is unavailable while one is missing.</summary>
    IReadOnlyList<string> RequiredData => [];

    /// <summary>
    /// Creates a policy; the result implements <c>IPolicy&lt;ObservationType, ActionType&gt;</c> and is owned (disposed)
    /// by the caller.
    /// </summary>
    /// <param name="context">Seed, data root and the task's resolved options.</param>
    /// <param name="options">An instance of <see cref="OptionsType"/>.</param>
    object Create(PolicyContext context, object options);
}

/// <summary>A policy provider with typed observations, actions and options.</summary>
/// <typeparam name="TObservation">Observation type of the task.</typeparam>
/// <typeparam name="TAction">Action type of the task.</typeparam>
/// <typeparam name="TOptions">The policy's options record.</typeparam>
public interface IPolicyProvider<TObservation, TAction, TOptions> : IPolicyProvider
    where TOptions : class, new()
{
    /// <inheritdoc />
    Type IPolicyProvider.ObservationType => typeof(TObservation);

    /// <inheritdoc />
    Type IPolicyProvider.ActionType => typeof(TAction);

    /// <inheritdoc />
    Type IPolicyProvider.OptionsType => typeof(TOptions);

    /// <summary>Creates a policy; the caller owns (disposes) it.</summary>
    /// <param name="context">Seed, data root and the task's resolved options.</param>
    /// <param name="options">Options.</param>
    IPolicy<TObservation, TAction> Create(PolicyContext context, TOptions options);

    /// <inheritdoc />
    object IPolicyProvider.Create(PolicyContext context, object options) => Create(context, (TOptions)options);
}

namespace NetLlm.Abstractions.Policies;

/// <summary>
/// Transitional (the string-option provider of contract 1.0): creates policies of one kind for one task (a baseline plugin exports one provider per baseline).
/// Exported through MEF: any public class implementing this interface in a plugin assembly is discovered.
/// </summary>
public interface ILegacyPolicyProvider
{
    /// <summary>Policy id, <c>&lt;task&gt;.&lt;name&gt;</c>, for example <c>abr.bba</c>.</summary>
    string Id { get; }

    /// <summary>Id of the task whose environment the policy acts in.</summary>
    string TaskId { get; }

    /// <summary>One-line description.</summary>
    string Description { get; }

    /// <summary>Observation type of the policies created (must match the task environment).</summary>
    Type ObservationType { get; }

    /// <summary>Action type of the policies created.</summary>
    Type ActionType { get; }

    /// <summary>
    /// Creates a policy; the result implements <c>IPolicy&lt;ObservationType, ActionType&gt;</c> and is owned
    /// (disposed) by the caller.
    /// </summary>
    /// <param name="request">Seed, data root and policy options.</param>
    object Create(PolicyRequest request);
}

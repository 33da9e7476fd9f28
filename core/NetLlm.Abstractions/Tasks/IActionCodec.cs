namespace NetLlm.Abstractions.Tasks;

/// <summary>
/// Splits a decision task's actions into the integer components its heads choose (for example <c>[bitrate]</c> or
/// <c>[stage, executors]</c>) and builds actions back from them. Experience pools store the components.
/// </summary>
/// <typeparam name="TObservation">Observation type.</typeparam>
/// <typeparam name="TAction">Action type.</typeparam>
public interface IActionCodec<in TObservation, TAction>
{
    /// <summary>The components of <paramref name="action"/> taken in <paramref name="observation"/>.</summary>
    /// <param name="observation">Observation the action is taken in.</param>
    /// <param name="action">The action.</param>
    int[] ToComponents(TObservation observation, TAction action);

    /// <summary>The action the components stand for in <paramref name="observation"/>.</summary>
    /// <param name="observation">Observation the action is taken in.</param>
    /// <param name="components">One value per head.</param>
    TAction FromComponents(TObservation observation, int[] components);
}

using NetLlm.Abstractions.Environments;
using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.AdaptiveBitrate.Settings;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// What the shared NetLLM machinery needs from ABR: the pool state codec (the 6×6 state), the action split (one
/// component: the bitrate index), the model (<see cref="AbrDecisionModel"/>) and the simulator for a request
/// (options merged with the setting; <c>collect</c> defaults to <c>train</c>, <c>adapt</c> (its evaluation
/// episodes) to <c>valid</c>, <c>test</c> to <c>default</c>). The environment's <see cref="IEnvironment{TObservation, TAction}.Reset"/> already downloads the
/// first chunk at quality 0, so an episode yields the original's 47 pool tuples per video.
/// </summary>
public sealed class AbrTaskBinding : IDecisionTaskBinding<AbrObservation, int>
{
    /// <inheritdoc />
    public string TaskId => "abr";

    /// <inheritdoc />
    public IStateCodec<AbrObservation> StateCodec { get; } = new AbrStateCodec();

    /// <inheritdoc />
    public int[] ToComponents(AbrObservation state, int action)
    {
        if ((uint)action >= AbrConstants.BitrateLevels)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"a bitrate index is 0 to {AbrConstants.BitrateLevels - 1}");
        }

        return [action];
    }

    /// <inheritdoc />
    public int FromComponents(AbrObservation state, int[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length != 1 || (uint)components[0] >= AbrConstants.BitrateLevels)
        {
            throw new ArgumentException($"abr expects one component (a bitrate index 0 to {AbrConstants.BitrateLevels - 1}), got [{string.Join(", ", components)}]", nameof(components));
        }

        return components[0];
    }

    /// <inheritdoc />
    public IDecisionModel<AbrObservation> CreateModel(int embeddingDim, IReadOnlyDictionary<string, string> settings) =>
        new AbrDecisionModel(embeddingDim, AbrModelSettings.Parse(settings));

    /// <inheritdoc />
    public IEnvironment<AbrObservation, int> CreateEnvironment(TaskRequest request) =>
        new AbrEnvironment(AbrRunConfiguration.Resolve(request).Scenario);
}

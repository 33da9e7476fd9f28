using NetLlm.Abstractions.Tasks;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>An ABR action is one component: the bitrate level 0 to 5.</summary>
public sealed class AbrActionCodec : IActionCodec<AbrObservation, int>
{
    /// <inheritdoc />
    public int[] ToComponents(AbrObservation observation, int action)
    {
        if ((uint)action >= AbrConstants.BitrateLevels)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"a bitrate index is 0 to {AbrConstants.BitrateLevels - 1}");
        }

        return [action];
    }

    /// <inheritdoc />
    public int FromComponents(AbrObservation observation, int[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length != 1 || (uint)components[0] >= AbrConstants.BitrateLevels)
        {
            throw new ArgumentException($"abr expects one component (a bitrate index 0 to {AbrConstants.BitrateLevels - 1}), got [{string.Join(", ", components)}]", nameof(components));
        }

        return components[0];
    }
}

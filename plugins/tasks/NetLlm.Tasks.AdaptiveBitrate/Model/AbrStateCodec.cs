using NetLlm.Abstractions.Tasks;
using NetLlm.Core.Adaptation;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Model;

/// <summary>
/// Stores an ABR state in an experience pool as one float32 array <c>state</c> of 36 values (the 6×6 Pensieve state,
/// row-major, newest history column last), as the original pool stores <c>np.float32 (6, 6)</c> arrays. Reading
/// gives an observation with the state only (no video, no chunk outcome).
/// </summary>
public sealed class AbrStateCodec : IStateCodec<AbrObservation>
{
    /// <summary>Name of the stored array.</summary>
    public const string StateArray = "state";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public void Write(AbrObservation state, IStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<float> values = stackalloc float[AbrObservation.StateLength];
        state.CopyStateTo(values);
        writer.Floats(StateArray, values);
    }

    /// <inheritdoc />
    public AbrObservation Read(IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = reader.Floats(StateArray);
        if (values.Length != AbrObservation.StateLength)
        {
            throw new InvalidDataException($"abr pool state '{StateArray}' has {values.Length} values, expected {AbrObservation.StateLength} (6x6)");
        }

        return AbrObservation.FromState(values);
    }
}

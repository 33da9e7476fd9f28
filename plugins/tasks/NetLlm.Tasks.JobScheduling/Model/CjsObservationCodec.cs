using NetLlm.Abstractions.Tasks;

namespace NetLlm.Tasks.JobScheduling.Model;

/// <summary>
/// Stores a <see cref="CjsObservation"/> in an experience pool as named arrays (variable length per step):
/// <c>scalars</c> = [executors, committable, source job index], <c>job_ptr</c>, <c>job_ids</c>,
/// <c>exec_supplies</c>, <c>stage_ids</c>, <c>remaining_tasks</c>, <c>schedulable</c>, <c>edge_from</c>,
/// <c>edge_to</c>, <c>wall_time_bits</c> (the IEEE bits of the wall time, exact) and the float array
/// <c>recent_duration_ms</c>. Reading validates the structure and names the problem.
/// </summary>
public sealed class CjsObservationCodec : IStateCodec<CjsObservation>
{
    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public void Write(CjsObservation state, IStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Ints("scalars", [state.NumExecutors, state.CommittableExecutors, state.SourceJobIndex]);
        writer.Ints("job_ptr", Widen(state.JobPtr));
        writer.Ints("job_ids", Widen(state.JobIds));
        writer.Ints("exec_supplies", Widen(state.ExecSupplies));
        writer.Ints("stage_ids", Widen(state.StageIds));
        writer.Ints("remaining_tasks", Widen(state.RemainingTasks));
        writer.Ints("schedulable", Widen(state.SchedulableNodes));
        writer.Ints("edge_from", Widen(state.EdgeFrom));
        writer.Ints("edge_to", Widen(state.EdgeTo));
        writer.Ints("wall_time_bits", [BitConverter.DoubleToInt64Bits(state.WallTimeMs)]);
        writer.Floats("recent_duration_ms", state.RecentDurationsMs);
    }

    /// <inheritdoc />
    public CjsObservation Read(IStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var scalars = reader.Ints("scalars");
        var wall = reader.Ints("wall_time_bits");
        if (scalars.Length != 3 || wall.Length != 1)
        {
            throw new InvalidDataException($"CJS state: 'scalars' must hold 3 values (got {scalars.Length}) and 'wall_time_bits' 1 (got {wall.Length})");
        }

        try
        {
            return new CjsObservation(
                Narrow(scalars[0], "scalars"),
                Narrow(scalars[1], "scalars"),
                Narrow(scalars[2], "scalars"),
                Narrow(reader.Ints("job_ptr"), "job_ptr"),
                Narrow(reader.Ints("job_ids"), "job_ids"),
                Narrow(reader.Ints("exec_supplies"), "exec_supplies"),
                Narrow(reader.Ints("stage_ids"), "stage_ids"),
                Narrow(reader.Ints("remaining_tasks"), "remaining_tasks"),
                reader.Floats("recent_duration_ms").ToArray(),
                Narrow(reader.Ints("schedulable"), "schedulable"),
                Narrow(reader.Ints("edge_from"), "edge_from"),
                Narrow(reader.Ints("edge_to"), "edge_to"),
                BitConverter.Int64BitsToDouble(wall[0]));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"CJS state: {e.Message}", e);
        }
    }

    private static long[] Widen(ReadOnlySpan<int> values)
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static int[] Narrow(ReadOnlySpan<long> values, string name)
    {
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = Narrow(values[i], name);
        }

        return result;
    }

    private static int Narrow(long value, string name) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new InvalidDataException($"CJS state: '{name}' holds {value}, outside the 32-bit range");
}

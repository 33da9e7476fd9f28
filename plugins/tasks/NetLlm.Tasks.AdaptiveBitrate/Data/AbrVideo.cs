using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Data;

/// <summary>
/// A video's chunk-size table: the size in bytes of every chunk at every quality level of the ladder
/// (<see cref="AbrConstants.BitrateLevels"/> levels × <see cref="AbrConstants.ChunkSizeLines"/> chunks, the last
/// row only ever read by RobustMPC's look-ahead). Immutable; validated on construction (positive sizes, sizes that
/// do not decrease with the level).
/// </summary>
public sealed class AbrVideo
{
    private readonly long[] _sizes;
    private readonly double[] _nextSizesMegabytes;

    /// <summary>The largest chunk accepted: 1 GiB, a 4-second chunk of a 2 Gbit/s stream (the ladder tops out at 4.3 Mbit/s).</summary>
    public const long MaxChunkBytes = 1L << 30;

    /// <summary>Creates a table, validating it; errors name <paramref name="name"/>.</summary>
    /// <param name="name">Video name (folder name or a description).</param>
    /// <param name="sizesByLevel">One list per level of chunk sizes in bytes (copied).</param>
    public AbrVideo(string name, IReadOnlyList<IReadOnlyList<long>> sizesByLevel)
    {
        ArgumentNullException.ThrowIfNull(sizesByLevel);
        var problem = Validate(sizesByLevel);
        if (problem is not null)
        {
            throw new InvalidDataException($"{name}: {problem}");
        }

        Name = name;
        _sizes = new long[AbrConstants.BitrateLevels * AbrConstants.ChunkSizeLines];
        for (var level = 0; level < AbrConstants.BitrateLevels; level++)
        {
            for (var chunk = 0; chunk < AbrConstants.ChunkSizeLines; chunk++)
            {
                _sizes[(level * AbrConstants.ChunkSizeLines) + chunk] = sizesByLevel[level][chunk];
            }
        }

        // State row 4 for every chunk, computed once as the simulator computed it per step (bytes / 1000 / 1000).
        _nextSizesMegabytes = new double[AbrConstants.ChunkSizeLines * AbrConstants.BitrateLevels];
        for (var chunk = 0; chunk < AbrConstants.ChunkSizeLines; chunk++)
        {
            for (var level = 0; level < AbrConstants.BitrateLevels; level++)
            {
                _nextSizesMegabytes[(chunk * AbrConstants.BitrateLevels) + level] = _sizes[(level * AbrConstants.ChunkSizeLines) + chunk] / AbrConstants.Thousand / AbrConstants.Thousand;
            }
        }
    }

    /// <summary>The largest chunk at any level, in bytes.</summary>
    public long LargestChunkBytes => _sizes.Max();

    /// <summary>Video name.</summary>
    public string Name { get; }

    /// <summary>Size in bytes of chunk <paramref name="chunk"/> at quality <paramref name="level"/>.</summary>
    /// <param name="level">Quality level, 0 to 5.</param>
    /// <param name="chunk">Chunk index, 0 to 48.</param>
    public long ChunkBytes(int level, int chunk) => _sizes[(level * AbrConstants.ChunkSizeLines) + chunk];

    /// <summary>Mean bitrate of a level in kbps (size · 8 / 4 s averaged over all 49 chunk sizes, as the data README computes it).</summary>
    /// <param name="level">Quality level.</param>
    public double MeanBitrateKbps(int level)
    {
        double total = 0;
        for (var chunk = 0; chunk < AbrConstants.ChunkSizeLines; chunk++)
        {
            total += ChunkBytes(level, chunk);
        }

        return total / AbrConstants.ChunkSizeLines * AbrConstants.BitsPerByte / (AbrConstants.ChunkLengthMs / AbrConstants.MillisecondsPerSecond) / 1000.0;
    }

    /// <summary>The flat table, level-major (<c>[level · 49 + chunk]</c>).</summary>
    internal long[] Flat => _sizes;

    /// <summary>
    /// Chunk sizes in MB (<c>bytes / 1000 / 1000</c>, the state's row 4) by chunk, then level: the
    /// <see cref="AbrConstants.BitrateLevels"/> values of chunk <c>c</c> start at <c>c × BitrateLevels</c>.
    /// </summary>
    internal double[] NextSizesMegabytesByChunk => _nextSizesMegabytes;

    /// <summary>Checks a table without building it: null when valid, otherwise the problem (level and chunk named).</summary>
    /// <param name="sizesByLevel">One list per level of chunk sizes in bytes.</param>
    public static string? Validate(IReadOnlyList<IReadOnlyList<long>> sizesByLevel)
    {
        if (sizesByLevel.Count != AbrConstants.BitrateLevels)
        {
            return $"mismatched levels: {sizesByLevel.Count} levels, the bitrate ladder has {AbrConstants.BitrateLevels}";
        }

        for (var level = 0; level < sizesByLevel.Count; level++)
        {
            var sizes = sizesByLevel[level];
            if (sizes.Count != AbrConstants.ChunkSizeLines)
            {
                return $"level {level} has {sizes.Count} chunk sizes, expected {AbrConstants.ChunkSizeLines} ({AbrConstants.TotalChunks} chunks + 1)";
            }

            for (var chunk = 0; chunk < sizes.Count; chunk++)
            {
                if (sizes[chunk] <= 0)
                {
                    return $"level {level} chunk {chunk}: size {sizes[chunk]} is not a positive number of bytes";
                }

                if (sizes[chunk] > MaxChunkBytes)
                {
                    return $"level {level} chunk {chunk}: size {sizes[chunk]} is more than {MaxChunkBytes} bytes";
                }

                if (level > 0 && sizes[chunk] < sizesByLevel[level - 1][chunk])
                {
                    return $"mismatched levels: chunk {chunk} is {sizes[chunk]} bytes at level {level} but {sizesByLevel[level - 1][chunk]} bytes at level {level - 1} (sizes must not decrease with the level)";
                }
            }
        }

        return null;
    }
}

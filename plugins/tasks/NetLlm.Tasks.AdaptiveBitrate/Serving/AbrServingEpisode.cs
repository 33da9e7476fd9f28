using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Serving;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Serving;

/// <summary>
/// One playback served over HTTP: rebuilds, from the player's successive reports, the 6×6 state the simulator builds
/// (same update, same normalisation, <see cref="AbrStateUpdate"/>) and each chunk's QoE as the reward. The first
/// report is of chunk 0, fetched without asking (the simulator's reset); each later one carries the reward of the chunk
/// it reports. Reports must come in chunk order.
/// </summary>
public sealed class AbrServingEpisode : IServingEpisode<AbrObservation, int>
{
    private readonly AbrVideo _video;
    private AbrStateBuffer _state;
    private int _lastLevel = AbrConstants.DefaultQuality;

    /// <summary>Starts a playback of <paramref name="video"/>.</summary>
    /// <param name="video">The video the look-ahead policies plan with.</param>
    public AbrServingEpisode(AbrVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        _video = video;
    }

    /// <inheritdoc />
    public int Steps { get; private set; }

    /// <inheritdoc />
    public ServedStep<AbrObservation> Read(JsonElement body)
    {
        var report = AbrPlayerReport.Read(body);
        if (report.ChunkIndex != Steps)
        {
            throw new ServingRequestException("chunk_index", Steps >= AbrConstants.TotalChunks
                ? $"is {report.ChunkIndex}, but this session's video ended with chunk {AbrConstants.TotalChunks - 1}; open a new session for the next playback"
                : $"is {report.ChunkIndex}, but this session expects chunk {Steps} next (reports come in chunk order, one per download)");
        }

        var step = Steps;
        double? reward = step == 0 ? null : AbrStateUpdate.Reward(report.Quality, _lastLevel, report.RebufferSeconds);
        var smoothness = Math.Abs(AbrConstants.BitratesKbps[report.Quality] - AbrConstants.BitratesKbps[_lastLevel]) / AbrConstants.Thousand;
        AbrStateUpdate.Apply(_state, report.Quality, report.BufferSeconds, report.ChunkBytes, report.DownloadMs, report.NextChunkBytes, 1, 0, report.ChunksRemaining);
        _lastLevel = report.Quality;
        Steps++;
        var done = report.ChunksRemaining == 0;
        var outcome = new AbrChunkOutcome(report.Quality, report.DownloadMs, 0, report.BufferSeconds, report.RebufferSeconds, report.ChunkBytes, smoothness, reward ?? 0, 0);
        var observation = new AbrObservation(_state, outcome, report.ChunksRemaining, done, _video, -1);
        return new ServedStep<AbrObservation>(observation, reward, done, step);
    }

    /// <inheritdoc />
    public JsonNode Write(AbrObservation observation, int action)
    {
        if ((uint)action >= AbrConstants.BitrateLevels)
        {
            throw new InvalidOperationException($"the policy chose quality {action}, which is not a level 0..{AbrConstants.BitrateLevels - 1}");
        }

        return new JsonObject { ["quality"] = action, ["bitrate_kbps"] = AbrConstants.BitratesKbps[action] };
    }
}

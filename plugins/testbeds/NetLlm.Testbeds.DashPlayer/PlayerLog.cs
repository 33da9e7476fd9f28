using System.Text.Json;
using System.Text.Json.Serialization;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Testbeds.DashPlayer;

/// <summary>One media segment as the player measured it.</summary>
public sealed record PlayerChunk(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("quality")] int Quality,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("request_ms")] double RequestMs,
    [property: JsonPropertyName("end_ms")] double EndMs,
    [property: JsonPropertyName("download_ms")] double DownloadMs,
    [property: JsonPropertyName("buffer_s")] double BufferSeconds,
    [property: JsonPropertyName("rebuffer_ms")] double RebufferMs);

/// <summary>A stall (the video element waiting), page time in ms.</summary>
public sealed record PlayerStall(
    [property: JsonPropertyName("start_ms")] double StartMs,
    [property: JsonPropertyName("end_ms")] double EndMs);

/// <summary>A decision the page received.</summary>
public sealed record PlayerDecision(
    [property: JsonPropertyName("chunk")] int Chunk,
    [property: JsonPropertyName("quality")] int Quality,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("server_ms")] double? ServerMs);

/// <summary>A quality switch.</summary>
public sealed record PlayerSwitch(
    [property: JsonPropertyName("at_ms")] double AtMs,
    [property: JsonPropertyName("chunk")] int Chunk,
    [property: JsonPropertyName("from")] int From,
    [property: JsonPropertyName("to")] int To);

/// <summary>A buffer sample.</summary>
public sealed record PlayerBufferSample(
    [property: JsonPropertyName("at_ms")] double AtMs,
    [property: JsonPropertyName("buffer_s")] double BufferSeconds);

/// <summary>Everything the page recorded for one playback (<c>window.netllm.log</c>).</summary>
public sealed record PlayerLog
{
    [JsonPropertyName("session")] public string? Session { get; init; }
    [JsonPropertyName("first_quality")] public int FirstQuality { get; init; }
    [JsonPropertyName("chunks")] public List<PlayerChunk> Chunks { get; init; } = [];
    [JsonPropertyName("stalls")] public List<PlayerStall> Stalls { get; init; } = [];
    [JsonPropertyName("switches")] public List<PlayerSwitch> Switches { get; init; } = [];
    [JsonPropertyName("buffer")] public List<PlayerBufferSample> Buffer { get; init; } = [];
    [JsonPropertyName("decisions")] public List<PlayerDecision> Decisions { get; init; } = [];
    [JsonPropertyName("errors")] public List<string> Errors { get; init; } = [];
    [JsonPropertyName("playback_started_ms")] public double? PlaybackStartedMs { get; init; }
    [JsonPropertyName("ended_ms")] public double? EndedMs { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }

    /// <summary>Parses the page's JSON.</summary>
    public static PlayerLog Parse(string json) =>
        JsonSerializer.Deserialize<PlayerLog>(json) ?? throw new InvalidDataException("the page's log is null");
}

/// <summary>The linear QoE of one playback, as the simulator scores it.</summary>
/// <param name="MeanQoe">Mean per-chunk QoE over chunks 1.. (the first chunk is not scored, as calc_mean_reward).</param>
/// <param name="MeanBitrateKbps">Mean bitrate of the scored chunks.</param>
/// <param name="RebufferSeconds">Stall time of the scored chunks.</param>
/// <param name="MeanSmoothnessMbps">Mean |Δbitrate| of the scored chunks.</param>
/// <param name="RebufferRatio">All stall time (startup included) over stall + media time.</param>
/// <param name="Chunks">Chunks played.</param>
public sealed record QoeSummary(double MeanQoe, double MeanBitrateKbps, double RebufferSeconds, double MeanSmoothnessMbps, double RebufferRatio, int Chunks)
{
    /// <summary>
    /// Scores per-chunk (quality, stall seconds) pairs: chunk <c>i</c>'s QoE is
    /// <c>bitrate_Mbps − 4.3 × rebuffer_s − |bitrate − previous bitrate|_Mbps</c> (the previous of chunk 0 is
    /// <paramref name="firstPrevious"/>); the mean skips chunk 0.
    /// </summary>
    public static QoeSummary Score(IReadOnlyList<(int Quality, double RebufferSeconds)> chunks, int firstPrevious, double totalStallSeconds, double chunkSeconds = 4.0)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var ladder = AbrConstants.BitratesKbps;
        double qoe = 0, bitrate = 0, rebuffer = 0, smooth = 0;
        var previous = firstPrevious;
        var scored = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var (q, stall) = chunks[i];
            var mbps = ladder[q] / 1000.0;
            var change = Math.Abs(ladder[q] - ladder[previous]) / 1000.0;
            previous = q;
            if (i == 0)
            {
                continue;
            }

            scored++;
            qoe += mbps - (AbrConstants.RebufferPenalty * stall) - (AbrConstants.SmoothPenalty * change);
            bitrate += ladder[q];
            rebuffer += stall;
            smooth += change;
        }

        var media = chunks.Count * chunkSeconds;
        return new QoeSummary(
            scored == 0 ? double.NaN : qoe / scored,
            scored == 0 ? double.NaN : bitrate / scored,
            rebuffer,
            scored == 0 ? double.NaN : smooth / scored,
            media + totalStallSeconds <= 0 ? double.NaN : totalStallSeconds / (media + totalStallSeconds),
            chunks.Count);
    }
}

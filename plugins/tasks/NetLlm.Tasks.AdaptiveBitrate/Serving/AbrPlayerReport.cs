using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Serving;
using NetLlm.Tasks.AdaptiveBitrate.Data;
using NetLlm.Tasks.AdaptiveBitrate.Simulation;

namespace NetLlm.Tasks.AdaptiveBitrate.Serving;

/// <summary>
/// What a player reports right after chunk <see cref="ChunkIndex"/> finished downloading (the request body of
/// <c>POST /v1/sessions/{id}/decisions</c>, raw units), read and range-checked field by field.
/// </summary>
/// <param name="ChunkIndex">0-based index of the chunk just downloaded.</param>
/// <param name="Quality">Its quality level.</param>
/// <param name="ChunkBytes">Its size, bytes.</param>
/// <param name="DownloadMs">Request to last byte, ms (the simulator's delay, RTT included).</param>
/// <param name="BufferSeconds">Buffer after the download, s.</param>
/// <param name="RebufferSeconds">Stall during the download, s.</param>
/// <param name="NextChunkBytes">Sizes of the next chunk at the six levels (zeros after the last chunk).</param>
/// <param name="ChunksRemaining">Chunks still to download.</param>
public sealed record AbrPlayerReport(int ChunkIndex, int Quality, long ChunkBytes, double DownloadMs, double BufferSeconds, double RebufferSeconds, long[] NextChunkBytes, int ChunksRemaining)
{
    /// <summary>
    /// The report a player sends after the download a simulator observation describes (the simulator column of realtest
    /// and the serving tests post it); after the last chunk the next sizes are 0.
    /// </summary>
    /// <param name="observation">An observation with its video (from <see cref="AbrEnvironment"/>).</param>
    /// <exception cref="ArgumentException">The observation has no video (a pool state).</exception>
    public static AbrPlayerReport From(in AbrObservation observation)
    {
        var video = observation.Video ?? throw new ArgumentException("a player report needs a simulator observation (with its video)", nameof(observation));
        var chunk = observation.ChunksDownloaded - 1;
        var next = new long[AbrConstants.BitrateLevels];
        for (var level = 0; level < next.Length && !observation.EndOfVideo; level++)
        {
            next[level] = video.ChunkBytes(level, chunk + 1);
        }

        var c = observation.LastChunk;
        return new AbrPlayerReport(chunk, c.Level, c.ChunkBytes, c.DelayMs, c.BufferSeconds, c.RebufferSeconds, next, observation.ChunksRemaining);
    }

    /// <summary>The request body, as <see cref="Read"/> reads it.</summary>
    public JsonObject ToJson() => new()
    {
        ["chunk_index"] = ChunkIndex,
        ["quality"] = Quality,
        ["chunk_bytes"] = ChunkBytes,
        ["download_ms"] = DownloadMs,
        ["buffer_s"] = BufferSeconds,
        ["rebuffer_s"] = RebufferSeconds,
        ["next_chunk_bytes"] = new JsonArray([.. NextChunkBytes.Select(b => (JsonNode?)b)]),
        ["chunks_remaining"] = ChunksRemaining,
    };

    /// <summary>Reads a request body; throws <see cref="ServingRequestException"/> naming the first bad field.</summary>
    /// <param name="body">The body.</param>
    public static AbrPlayerReport Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ServingRequestException("body", $"expected a JSON object with the player's state after a download, got {Kind(body.ValueKind)}");
        }

        var chunkIndex = (int)Integer(body, "chunk_index", 0, AbrConstants.TotalChunks - 1);
        var quality = (int)Integer(body, "quality", 0, AbrConstants.BitrateLevels - 1);
        var chunkBytes = Integer(body, "chunk_bytes", 1, AbrVideo.MaxChunkBytes);
        var downloadMs = Number(body, "download_ms", strictlyPositive: true);
        var buffer = Number(body, "buffer_s", strictlyPositive: false);
        var rebuffer = Number(body, "rebuffer_s", strictlyPositive: false);
        var next = Sizes(body, "next_chunk_bytes");
        var remaining = (int)Integer(body, "chunks_remaining", 0, AbrConstants.TotalChunks - 1);
        var expected = AbrConstants.TotalChunks - 1 - chunkIndex;
        if (remaining != expected)
        {
            throw new ServingRequestException("chunks_remaining", $"is {remaining}, but after chunk {chunkIndex} of {AbrConstants.TotalChunks} there are {expected} left");
        }

        return new AbrPlayerReport(chunkIndex, quality, chunkBytes, downloadMs, buffer, rebuffer, next, remaining);
    }

    private static JsonElement Field(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new ServingRequestException(name, "is missing");

    private static long Integer(JsonElement body, string name, long minimum, long maximum)
    {
        var value = Field(body, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n))
        {
            throw new ServingRequestException(name, $"expected an integer, got {Describe(value)}");
        }

        return n >= minimum && n <= maximum ? n : throw new ServingRequestException(name, $"is {n}, outside {minimum}..{maximum}");
    }

    private static double Number(JsonElement body, string name, bool strictlyPositive)
    {
        var value = Field(body, name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var x) || !double.IsFinite(x))
        {
            throw new ServingRequestException(name, $"expected a finite number, got {Describe(value)}");
        }

        if (strictlyPositive ? x <= 0 : x < 0)
        {
            throw new ServingRequestException(name, $"is {x.ToString(System.Globalization.CultureInfo.InvariantCulture)}, but must be {(strictlyPositive ? "above 0" : "0 or more")}");
        }

        return x;
    }

    private static long[] Sizes(JsonElement body, string name)
    {
        var value = Field(body, name);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != AbrConstants.BitrateLevels)
        {
            throw new ServingRequestException(name, $"expected an array of {AbrConstants.BitrateLevels} integers (bytes at levels 0..{AbrConstants.BitrateLevels - 1}), got {Describe(value)}");
        }

        var sizes = new long[AbrConstants.BitrateLevels];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0 || n > AbrVideo.MaxChunkBytes)
            {
                throw new ServingRequestException($"{name}[{i}]", $"expected an integer 0..{AbrVideo.MaxChunkBytes}, got {Describe(item)}");
            }

            sizes[i++] = n;
        }

        return sizes;
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind is JsonValueKind.Array
            ? $"an array of {value.GetArrayLength()}"
            : value.ValueKind is JsonValueKind.Object ? "an object" : $"{Kind(value.ValueKind)} {Truncate(value.GetRawText())}";

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;
using NetLlm.Core.IO;

namespace NetLlm.Cli.Sweeps;

/// <summary>Where an item of a sweep is.</summary>
public enum SweepItemStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Its <c>adapt</c> run was started (and may have been interrupted: it resumes from its checkpoint).</summary>
    Adapting,

    /// <summary>Adapted; its test is not finished.</summary>
    Testing,

    /// <summary>Finished.</summary>
    Done,

    /// <summary>Failed <see cref="SweepState.MaxAttempts"/> times, or its command line is wrong; see its error.</summary>
    Failed,
}

/// <summary>The durable record of one item: status, attempts, the last error and the outcome.</summary>
public sealed record SweepItemState
{
    /// <summary>Item id.</summary>
    public required string Id { get; init; }

    /// <summary>The <c>adapt</c> command line the item runs, without threads and progress (checked on every rerun: a changed sweep is refused).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Status.</summary>
    public SweepItemStatus Status { get; init; }

    /// <summary>Commands started for the item (adapt, resumes, test; an attempt stopped by Ctrl+C does not count).</summary>
    public int Attempts { get; init; }

    /// <summary>Commands of the item that failed; at <see cref="SweepState.MaxAttempts"/> the item is failed.</summary>
    public int Failures { get; init; }

    /// <summary>The last failure's message, if any.</summary>
    public string? Error { get; init; }

    /// <summary>Seconds spent in <c>adapt</c> (all attempts).</summary>
    public double AdaptSeconds { get; init; }

    /// <summary>Seconds spent in <c>test</c>.</summary>
    public double TestSeconds { get; init; }

    /// <summary>The test's metric, when tested.</summary>
    public double? Metric { get; init; }
}

/// <summary>
/// The durable state of a sweep (<c>sweep-state.json</c> in its output folder), rewritten atomically after every
/// change, so a sweep stopped at any point (Ctrl+C, kill -9, power loss) continues from what it says.
/// </summary>
public sealed record SweepState
{
    /// <summary>File name in the output folder.</summary>
    public const string FileName = "sweep-state.json";

    /// <summary>Format tag.</summary>
    public const string FormatName = "netllm-sweep-state";

    /// <summary>Attempts after which a failing item is reported as failed.</summary>
    public const int MaxAttempts = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<SweepItemStatus>(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Format tag (<see cref="FormatName"/>).</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>Format version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The sweep file.</summary>
    public required string File { get; init; }

    /// <summary>Task id.</summary>
    public required string Task { get; init; }

    /// <summary>Every item, in grid order.</summary>
    public required IReadOnlyList<SweepItemState> Items { get; init; }

    /// <summary>The state with <paramref name="item"/> replacing the item of the same id.</summary>
    /// <param name="item">The new item state.</param>
    public SweepState With(SweepItemState item) => this with { Items = [.. Items.Select(i => i.Id == item.Id ? item : i)] };

    /// <summary>The state of item <paramref name="id"/>.</summary>
    /// <param name="id">Item id.</param>
    public SweepItemState this[string id] => Items.Single(i => i.Id == id);

    /// <summary>Reads the state file of <paramref name="folder"/>, or null when there is none.</summary>
    /// <param name="folder">The sweep's output folder.</param>
    /// <exception cref="InvalidDataException">The file exists but is not a sweep state.</exception>
    public static SweepState? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<SweepState>(System.IO.File.ReadAllText(path), Json);
            return state is { Format: FormatName, Version: 1 }
                ? state
                : throw new InvalidDataException($"{path}: not a {FormatName} version 1 file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a sweep state: {e.Message}", e);
        }
    }

    /// <summary>Writes the state file of <paramref name="folder"/> atomically.</summary>
    /// <param name="folder">The sweep's output folder.</param>
    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");
}

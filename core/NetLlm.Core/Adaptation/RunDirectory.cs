using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Core.IO;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// The folder an adaptation run writes (see docs/run-directory.md): <c>run.json</c> (task, backbone, resolved
/// options, seed, data fingerprints, versions, status), <c>metrics.jsonl</c> (one JSON object per logged step and
/// evaluation), <c>adapter/</c> (the LoRA adapter in PEFT's format), <c>model.safetensors</c> (encoders, heads and
/// the return/timestep embeddings), <c>backbone.safetensors</c> (the base weights when the backbone was
/// random-initialised from a preset), and <c>checkpoints/last/</c> (written atomically, for <c>--resume</c>).
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Manifest file.</summary>
    public const string ManifestFile = "run.json";

    /// <summary>The manifest's <c>format</c>.</summary>
    public const string ManifestFormat = "netllm-run";

    /// <summary>The manifest's <c>version</c> this build writes and reads.</summary>
    public const int ManifestVersion = 1;

    /// <summary>Metrics log.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Adapter folder.</summary>
    public const string AdapterFolder = "adapter";

    /// <summary>Task model weights.</summary>
    public const string ModelFile = "model.safetensors";

    /// <summary>Base weights of a preset backbone.</summary>
    public const string BackboneFile = "backbone.safetensors";

    /// <summary>Whole-backbone weights after full fine-tuning (rank -1).</summary>
    public const string FineTunedBackboneFile = "backbone-finetuned.safetensors";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Opens (and creates) a run folder.</summary>
    /// <param name="path">Folder.</param>
    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Latest checkpoint folder.</summary>
    public string LastCheckpoint => System.IO.Path.Combine(Path, "checkpoints", "last");

    /// <summary>Best checkpoint folder (when evaluation selects one).</summary>
    public string BestCheckpoint => System.IO.Path.Combine(Path, "checkpoints", "best");

    /// <summary>True when the folder holds a run manifest.</summary>
    public bool Exists => File.Exists(System.IO.Path.Combine(Path, ManifestFile));

    /// <summary>True when a resumable checkpoint exists.</summary>
    public bool HasCheckpoint => File.Exists(System.IO.Path.Combine(LastCheckpoint, TrainingLoop.StateFile));

    /// <summary>A file or folder inside the run.</summary>
    /// <param name="name">Relative name.</param>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Repairs the checkpoint folders after a process was killed while swapping one in (see
    /// <see cref="AtomicFile.RecoverDirectory"/>): a complete last checkpoint holds the trainer state file and a
    /// complete best checkpoint the task model's weights, each written last.
    /// </summary>
    public void RecoverCheckpoints()
    {
        AtomicFile.RecoverDirectory(LastCheckpoint, dir => File.Exists(System.IO.Path.Combine(dir, TrainingLoop.StateFile)));
        AtomicFile.RecoverDirectory(BestCheckpoint, dir => File.Exists(System.IO.Path.Combine(dir, ModelFile)));
    }

    /// <summary>Removes the metrics and checkpoints of a run that starts again from step 0.</summary>
    public void ClearProgress()
    {
        var metrics = Combine(MetricsFile);
        if (File.Exists(metrics))
        {
            File.Delete(metrics);
        }

        var checkpoints = Combine("checkpoints");
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    /// <summary>Writes the manifest atomically.</summary>
    /// <param name="manifest">The manifest.</param>
    public void WriteManifest(JsonObject manifest)
    {
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(Combine(ManifestFile), manifest.ToJsonString(Indented) + "\n");
    }

    /// <summary>Reads the manifest; errors name the file.</summary>
    public JsonObject ReadManifest()
    {
        var path = Combine(ManifestFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not an adapted run directory (no {ManifestFile})", path);
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Options a resumed run may change: they do not alter what the finished run learns step by step.</summary>
    private static readonly string[] ResumableChanges = ["max_steps", "checkpoint_every", "gradient_checkpointing"];

    /// <summary>
    /// Refuses <c>--resume</c> with other settings than the run was started with (another seed, pool, backbone or
    /// hyper-parameter would silently continue a different run); only <c>max_steps</c>, <c>checkpoint_every</c> and
    /// <c>gradient_checkpointing</c> may change. The error lists every differing key with both values.
    /// </summary>
    /// <param name="resumed">The manifest the resumed command would write.</param>
    public void CheckResumeMatches(JsonObject resumed)
    {
        ArgumentNullException.ThrowIfNull(resumed);
        var recorded = ReadManifest();
        var differences = new List<string>();
        void Compare(string key, JsonNode? was, JsonNode? now)
        {
            if (!JsonNode.DeepEquals(was, now))
            {
                differences.Add($"{key}: run {Text(was)}, now {Text(now)}");
            }
        }

        Compare("seed", recorded["seed"], resumed["seed"]);
        Compare("task", recorded["task"], resumed["task"]);
        Compare("pool.sha256", recorded["pool"]?["sha256"], resumed["pool"]?["sha256"]);
        Compare("data", recorded["data"], resumed["data"]);
        var before = recorded["adaptation"] as JsonObject ?? [];
        var after = resumed["adaptation"] as JsonObject ?? [];
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(k => !ResumableChanges.Contains(k)))
        {
            Compare(key, before[key], after[key]);
        }

        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"resuming: {Combine(ManifestFile)} was started with other settings; pass the same options (only {string.Join(", ", ResumableChanges)} may change). Differences: {string.Join("; ", differences)}");
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "(none)";

    /// <summary>Appends one line to the metrics log.</summary>
    /// <param name="entry">The entry.</param>
    public void AppendMetrics(JsonObject entry)
    {
        Directory.CreateDirectory(Path);
        using var stream = new FileStream(Combine(MetricsFile), FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = Encoding.UTF8.GetBytes(entry.ToJsonString() + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Drops metrics lines logged after optimiser step <paramref name="step"/> (when resuming).</summary>
    /// <param name="step">Last step kept.</param>
    public void TruncateMetricsAfter(long step)
    {
        var path = Combine(MetricsFile);
        if (!File.Exists(path))
        {
            return;
        }

        var kept = File.ReadAllLines(path)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Where(l => JsonNode.Parse(l)?["step"]?.GetValue<long>() is not { } s || s <= step)
            .ToList();
        AtomicFile.WriteAllText(path, kept.Count == 0 ? string.Empty : string.Join("\n", kept) + "\n");
    }

    /// <summary>The metrics log's entries.</summary>
    public IReadOnlyList<JsonObject> ReadMetrics()
    {
        var path = Combine(MetricsFile);
        return File.Exists(path)
            ? File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList()
            : [];
    }
}

using NetLlm.Abstractions.Tasks;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Core.Adaptation;

/// <summary>
/// An experience pool: trajectories (states, actions, rewards, episode ends) collected once by existing policies,
/// the training data of NetLLM's offline adaptation for decision tasks. Stored as one safetensors file (format
/// <c>netllm-experience-pool</c>, version 1, see docs/experience-pool.md): per-step arrays <c>actions</c> [N, A]
/// int64, <c>rewards</c> [N] float32, <c>dones</c> [N] uint8, <c>episodes</c> [N] int64, <c>timesteps</c> [N] int64,
/// and for every named state array <c>state.&lt;name&gt;.values</c> (float32 or int64, concatenated over steps)
/// with <c>state.&lt;name&gt;.offsets</c> [N + 1] int64; the JSON metadata records the task, the state codec
/// version, the policies and seeds that produced it.
/// </summary>
public sealed class ExperiencePool
{
    /// <summary>Format name written in the metadata.</summary>
    public const string Format = "netllm-experience-pool";

    /// <summary>Format version written in the metadata.</summary>
    public const int FormatVersion = 1;

    internal ExperiencePool(
        string taskId,
        int codecVersion,
        long[,] actions,
        float[] rewards,
        bool[] dones,
        long[] episodes,
        long[] timesteps,
        Dictionary<string, (float[] Values, long[] Offsets)> floats,
        Dictionary<string, (long[] Values, long[] Offsets)> ints,
        JsonObject info)
    {
        TaskId = taskId;
        CodecVersion = codecVersion;
        Actions = actions;
        Rewards = rewards;
        Dones = dones;
        Episodes = episodes;
        Timesteps = timesteps;
        FloatArrays = floats;
        IntArrays = ints;
        Info = info;
    }

    /// <summary>Task the pool was collected for.</summary>
    public string TaskId { get; }

    /// <summary>Version of the task's state codec the states were written with.</summary>
    public int CodecVersion { get; }

    /// <summary>Number of steps.</summary>
    public int Count => Rewards.Length;

    /// <summary>Action components per step <c>[N, A]</c>.</summary>
    public long[,] Actions { get; }

    /// <summary>Raw rewards per step.</summary>
    public float[] Rewards { get; }

    /// <summary>True on the last step of an episode.</summary>
    public bool[] Dones { get; }

    /// <summary>Episode index of each step.</summary>
    public long[] Episodes { get; }

    /// <summary>Number of episodes (numbered 0, 1, 2, ... in step order, as <c>Load</c> checks; 0 for an empty pool).</summary>
    public long EpisodeCount => Episodes.Length == 0 ? 0 : Episodes[^1] + 1;

    /// <summary>Timestep of each step within its episode (0-based).</summary>
    public long[] Timesteps { get; }

    /// <summary>Float state arrays by name.</summary>
    public IReadOnlyDictionary<string, (float[] Values, long[] Offsets)> FloatArrays { get; }

    /// <summary>Integer state arrays by name.</summary>
    public IReadOnlyDictionary<string, (long[] Values, long[] Offsets)> IntArrays { get; }

    /// <summary>Metadata: policies, seeds, setting, collection time.</summary>
    public JsonObject Info { get; }

    /// <summary>Number of action components.</summary>
    public int ActionComponents => Actions.GetLength(1);

    /// <summary>Action components of step <paramref name="i"/>.</summary>
    /// <param name="i">Step index.</param>
    public int[] ActionAt(int i)
    {
        var a = new int[ActionComponents];
        for (var j = 0; j < a.Length; j++)
        {
            a[j] = checked((int)Actions[i, j]);
        }

        return a;
    }

    /// <summary>Decodes the state of step <paramref name="i"/>.</summary>
    /// <typeparam name="TState">State type.</typeparam>
    /// <param name="i">Step index.</param>
    /// <param name="codec">The task's codec (its version must equal <see cref="CodecVersion"/>).</param>
    public TState StateAt<TState>(int i, IStateCodec<TState> codec)
    {
        if (codec.Version != CodecVersion)
        {
            throw new InvalidDataException($"experience pool for task '{TaskId}' was written with state codec version {CodecVersion}, but the task's codec is version {codec.Version}; collect the pool again");
        }

        return codec.Read(new StepReader(this, i));
    }

    /// <summary>Decodes every state.</summary>
    /// <typeparam name="TState">State type.</typeparam>
    /// <param name="codec">The task's codec.</param>
    public TState[] States<TState>(IStateCodec<TState> codec)
    {
        var states = new TState[Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = StateAt(i, codec);
        }

        return states;
    }

    /// <summary>SHA-256 of the pool file's content, for run provenance.</summary>
    /// <param name="path">Pool file.</param>
    public static string Fingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>Loads a pool; errors name the file and what is wrong.</summary>
    /// <param name="path">Pool file.</param>
    public static ExperiencePool Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"{path}: not a NetLlm experience pool (metadata 'format' is '{format ?? "absent"}', expected '{Format}')");
        }

        var version = MetadataInt(file, "version");
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: experience pool format version {version} is not supported (this build reads version {FormatVersion})");
        }

        var task = file.Metadata.GetValueOrDefault("task") ?? throw new InvalidDataException($"{path}: metadata has no 'task'");
        var codecVersion = MetadataInt(file, "codec_version");
        var info = ReadInfo(file);
        var rewards = ReadFloats(file, "rewards");
        var n = rewards.Length;
        var dones = ReadBytes(file, "dones").Select(b => b != 0).ToArray();
        var episodes = ReadLongs(file, "episodes");
        var timesteps = ReadLongs(file, "timesteps");
        var actionEntry = file.Get("actions");
        if (actionEntry.Shape.Length != 2 || actionEntry.Shape[0] != n)
        {
            throw new InvalidDataException($"{path}: 'actions' has shape {actionEntry.ShapeText}, expected [{n}, components]");
        }

        var flatActions = ReadLongs(file, "actions");
        var actions = new long[n, actionEntry.Shape[1]];
        Buffer.BlockCopy(flatActions, 0, actions, 0, flatActions.Length * sizeof(long));
        if (dones.Length != n || episodes.Length != n || timesteps.Length != n)
        {
            throw new InvalidDataException($"{path}: per-step arrays disagree on the number of steps (rewards {n}, dones {dones.Length}, episodes {episodes.Length}, timesteps {timesteps.Length})");
        }

        CheckSteps(file, rewards, dones, episodes, timesteps);
        var floats = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        var ints = new Dictionary<string, (long[], long[])>(StringComparer.Ordinal);
        foreach (var name in file.Entries.Keys.Where(k => k.StartsWith("state.", StringComparison.Ordinal) && k.EndsWith(".values", StringComparison.Ordinal)))
        {
            var arrayName = name["state.".Length..^".values".Length];
            var offsets = ReadLongs(file, "state." + arrayName + ".offsets");
            if (offsets.Length != n + 1)
            {
                throw new InvalidDataException($"{path}: 'state.{arrayName}.offsets' has {offsets.Length} entries, expected {n + 1}");
            }

            if (file.Entries[name].DType == ScalarType.Float32)
            {
                var values = ReadFloats(file, name);
                CheckOffsets(file, arrayName, offsets, values.Length);
                var bad = System.Array.FindIndex(values, v => !float.IsFinite(v));
                if (bad >= 0)
                {
                    throw new InvalidDataException($"{path}: '{name}' holds {values[bad].ToString(CultureInfo.InvariantCulture)} at index {bad} (step {StepOf(offsets, bad)}); states must be finite");
                }

                floats[arrayName] = (values, offsets);
            }
            else
            {
                var values = ReadLongs(file, name);
                CheckOffsets(file, arrayName, offsets, values.Length);
                ints[arrayName] = (values, offsets);
            }
        }

        return new ExperiencePool(task, codecVersion, actions, rewards, dones, episodes, timesteps, floats, ints, info);
    }

    /// <summary>Writes the pool to <paramref name="path"/> atomically.</summary>
    /// <param name="path">Destination file.</param>
    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        var n = Count;
        var flatActions = new long[Actions.Length];
        Buffer.BlockCopy(Actions, 0, flatActions, 0, flatActions.Length * sizeof(long));
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["rewards"] = tensor(Rewards),
            ["dones"] = tensor(Dones.Select(d => d ? (byte)1 : (byte)0).ToArray()),
            ["episodes"] = tensor(Episodes),
            ["timesteps"] = tensor(Timesteps),
            ["actions"] = tensor(flatActions).reshape(n, ActionComponents),
        };
        foreach (var (name, (values, offsets)) in FloatArrays)
        {
            tensors["state." + name + ".values"] = tensor(values);
            tensors["state." + name + ".offsets"] = tensor(offsets);
        }

        foreach (var (name, (values, offsets)) in IntArrays)
        {
            tensors["state." + name + ".values"] = tensor(values);
            tensors["state." + name + ".offsets"] = tensor(offsets);
        }

        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["task"] = TaskId,
            ["codec_version"] = CodecVersion.ToString(CultureInfo.InvariantCulture),
            ["steps"] = n.ToString(CultureInfo.InvariantCulture),
            ["episodes"] = EpisodeCount.ToString(CultureInfo.InvariantCulture),
            ["info"] = Info.ToJsonString(),
        };
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    private static int MetadataInt(SafetensorsFile file, string key)
    {
        var text = file.Metadata.GetValueOrDefault(key) ?? throw new InvalidDataException($"{file.Path}: metadata has no '{key}'");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file.Path}: metadata '{key}' is '{Shorten(text)}', not a whole number from 0 to {int.MaxValue}");
    }

    private static JsonObject ReadInfo(SafetensorsFile file)
    {
        if (!file.Metadata.TryGetValue("info", out var text))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }) as JsonObject
                ?? throw new InvalidDataException($"{file.Path}: metadata 'info' must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file.Path}: metadata 'info' is not valid JSON (at most 32 levels deep): {e.Message}");
        }
    }

    /// <summary>
    /// The per-step arrays must describe whole episodes as the builder writes them: episodes numbered 0, 1, 2, ... in
    /// order, timesteps 0, 1, 2, ... within each, <c>dones</c> set exactly on each episode's last step, rewards finite,
    /// and the metadata's counts equal to the arrays'.
    /// </summary>
    private static void CheckSteps(SafetensorsFile file, float[] rewards, bool[] dones, long[] episodes, long[] timesteps)
    {
        var n = rewards.Length;
        if (n == 0)
        {
            throw new InvalidDataException($"{file.Path}: the pool has no steps");
        }

        for (var i = 0; i < n; i++)
        {
            if (!float.IsFinite(rewards[i]))
            {
                throw new InvalidDataException($"{file.Path}: 'rewards' at step {i} is {rewards[i].ToString(CultureInfo.InvariantCulture)}; rewards must be finite");
            }

            var first = i == 0 || dones[i - 1];
            var episode = i == 0 ? 0 : episodes[i - 1] + (first ? 1 : 0);
            if (episodes[i] != episode)
            {
                throw new InvalidDataException($"{file.Path}: 'episodes' at step {i} is {episodes[i]}, expected {episode} (episodes are numbered from 0 in order and change only after a step marked done)");
            }

            var timestep = first ? 0 : timesteps[i - 1] + 1;
            if (timesteps[i] != timestep)
            {
                throw new InvalidDataException($"{file.Path}: 'timesteps' at step {i} is {timesteps[i]}, expected {timestep} (steps are counted from 0 within each episode)");
            }
        }

        if (!dones[n - 1])
        {
            throw new InvalidDataException($"{file.Path}: the last step is not marked done");
        }

        CheckCount(file, "steps", n);
        CheckCount(file, "episodes", episodes[n - 1] + 1);
    }

    private static void CheckCount(SafetensorsFile file, string key, long actual)
    {
        if (file.Metadata.ContainsKey(key) && MetadataInt(file, key) != actual)
        {
            throw new InvalidDataException($"{file.Path}: metadata '{key}' is {file.Metadata[key]} but the arrays hold {actual}");
        }
    }

    private static void CheckOffsets(SafetensorsFile file, string arrayName, long[] offsets, long valueCount)
    {
        if (offsets[0] != 0 || offsets[^1] != valueCount)
        {
            throw new InvalidDataException($"{file.Path}: 'state.{arrayName}.offsets' must run from 0 to {valueCount} (the values' length), not from {offsets[0]} to {offsets[^1]}");
        }

        for (var i = 1; i < offsets.Length; i++)
        {
            if (offsets[i] < offsets[i - 1])
            {
                throw new InvalidDataException($"{file.Path}: 'state.{arrayName}.offsets' decreases at step {i - 1} ({offsets[i - 1]} then {offsets[i]})");
            }
        }
    }

    private static int StepOf(long[] offsets, long index)
    {
        var step = System.Array.BinarySearch(offsets, index);
        return step >= 0 ? step : ~step - 1;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static float[] ReadFloats(SafetensorsFile file, string name)
    {
        var e = file.Get(name);
        if (e.DType != ScalarType.Float32)
        {
            throw new InvalidDataException($"{file.Path}: '{name}' must be F32");
        }

        var bytes = file.ReadBytes(name);
        var result = new float[e.ElementCount];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    private static long[] ReadLongs(SafetensorsFile file, string name)
    {
        var e = file.Get(name);
        if (e.DType != ScalarType.Int64)
        {
            throw new InvalidDataException($"{file.Path}: '{name}' must be I64");
        }

        var bytes = file.ReadBytes(name);
        var result = new long[e.ElementCount];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    private static byte[] ReadBytes(SafetensorsFile file, string name) => file.ReadBytes(name);

    private sealed class StepReader(ExperiencePool pool, int step) : IStateReader
    {
        public ReadOnlySpan<float> Floats(string name)
        {
            if (!pool.FloatArrays.TryGetValue(name, out var a))
            {
                throw new InvalidDataException($"experience pool has no float state array '{name}'");
            }

            return a.Values.AsSpan((int)a.Offsets[step], (int)(a.Offsets[step + 1] - a.Offsets[step]));
        }

        public ReadOnlySpan<long> Ints(string name)
        {
            if (!pool.IntArrays.TryGetValue(name, out var a))
            {
                throw new InvalidDataException($"experience pool has no integer state array '{name}'");
            }

            return a.Values.AsSpan((int)a.Offsets[step], (int)(a.Offsets[step + 1] - a.Offsets[step]));
        }
    }
}

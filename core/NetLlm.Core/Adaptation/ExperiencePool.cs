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

        var version = int.Parse(file.Metadata.GetValueOrDefault("version", "0"), CultureInfo.InvariantCulture);
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: experience pool format version {version} is not supported (this build reads version {FormatVersion})");
        }

        var task = file.Metadata.GetValueOrDefault("task") ?? throw new InvalidDataException($"{path}: metadata has no 'task'");
        var codecVersion = int.Parse(file.Metadata.GetValueOrDefault("codec_version", "0"), CultureInfo.InvariantCulture);
        var info = file.Metadata.TryGetValue("info", out var infoText) ? JsonNode.Parse(infoText) as JsonObject ?? new JsonObject() : new JsonObject();
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
                floats[arrayName] = (ReadFloats(file, name), offsets);
            }
            else
            {
                ints[arrayName] = (ReadLongs(file, name), offsets);
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
            ["episodes"] = (Episodes.Length == 0 ? 0 : Episodes.Max() + 1).ToString(CultureInfo.InvariantCulture),
            ["info"] = Info.ToJsonString(),
        };
        SafetensorsWriter.Write(path, tensors, metadata);
    }

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

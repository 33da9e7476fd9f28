using System.Text.Json;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// A sharded checkpoint described by an index file (<c>model.safetensors.index.json</c> or
/// <c>pytorch_model.bin.index.json</c>) whose <c>weight_map</c> maps every tensor name to a shard file. Each shard
/// is opened with the reader for its format. The index must name every tensor of every shard exactly once, and
/// every shard must hold what the index says.
/// </summary>
public sealed class ShardedCheckpoint : ICheckpointReader
{
    private readonly Dictionary<string, ICheckpointReader> _byName;
    private readonly List<ICheckpointReader> _shards;

    private ShardedCheckpoint(string source, Dictionary<string, ICheckpointReader> byName, List<ICheckpointReader> shards, List<string> names)
    {
        Source = source;
        _byName = byName;
        _shards = shards;
        Names = names;
    }

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>Opens the index at <paramref name="indexPath"/> and every shard it names.</summary>
    /// <param name="indexPath">Index JSON path.</param>
    /// <param name="openShard">Opens one shard file.</param>
    public static ShardedCheckpoint Open(string indexPath, Func<string, ICheckpointReader> openShard)
    {
        ArgumentNullException.ThrowIfNull(openShard);
        if (!File.Exists(indexPath))
        {
            throw new FileNotFoundException($"{indexPath}: index file not found", indexPath);
        }

        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{indexPath}: the index has no 'weight_map' object");
            }

            weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                weightMap[p.Name] = p.Value.ValueKind == JsonValueKind.String
                    ? p.Value.GetString()!
                    : throw new InvalidDataException($"{indexPath}: weight_map['{p.Name}'] is not a file name");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath}: not valid JSON ({e.Message})", e);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shards = new List<ICheckpointReader>();
        var byFile = new Dictionary<string, ICheckpointReader>(StringComparer.Ordinal);
        try
        {
            foreach (var file in weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (file.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(file))
                {
                    throw new InvalidDataException($"{indexPath}: shard name '{file}' must be a file in the model folder");
                }

                var reader = openShard(Path.Combine(dir, file));
                shards.Add(reader);
                byFile[file] = reader;
            }

            var byName = new Dictionary<string, ICheckpointReader>(StringComparer.Ordinal);
            foreach (var (name, file) in weightMap)
            {
                var shard = byFile[file];
                if (!shard.Names.Contains(name, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"{indexPath}: the index puts tensor '{name}' in {file}, which does not hold it");
                }

                byName[name] = shard;
            }

            foreach (var (file, shard) in byFile)
            {
                var extra = shard.Names.Where(n => !weightMap.TryGetValue(n, out var f) || f != file).ToList();
                if (extra.Count > 0)
                {
                    throw new InvalidDataException($"{Path.Combine(dir, file)}: holds tensors the index does not map to it: {string.Join(", ", extra.Take(20))}");
                }
            }

            var names = shards.SelectMany(s => s.Names).ToList();
            return new ShardedCheckpoint(indexPath, byName, shards, names);
        }
        catch
        {
            foreach (var s in shards)
            {
                s.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public CheckpointTensorInfo Describe(string name) => Shard(name).Describe(name);

    /// <inheritdoc />
    public Tensor Read(string name) => Shard(name).Read(name);

    /// <inheritdoc />
    public bool TryReadInto(string name, Tensor target) => Shard(name).TryReadInto(name, target);

    /// <inheritdoc />
    public bool TryMapInto(string name, Tensor target) => Shard(name).TryMapInto(name, target);

    private ICheckpointReader Shard(string name) =>
        _byName.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"{Source}: no tensor named '{name}'");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in _shards)
        {
            s.Dispose();
        }
    }
}

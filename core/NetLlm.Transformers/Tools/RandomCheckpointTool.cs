using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Checkpoints;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Tools;

/// <summary>
/// Writes a random-initialised backbone as a Hugging Face model folder (<c>netllm backbone init</c>): config.json with
/// the compute dtype as <c>torch_dtype</c>, and the weights as <c>model.safetensors</c> or, above the shard size, as
/// <c>model-0000K-of-0000N.safetensors</c> shards with a <c>model.safetensors.index.json</c> — the layout of a
/// downloaded checkpoint, for measuring loading, decisions and adaptation at a real size without its weights.
/// </summary>
public static class RandomCheckpointTool
{
    /// <summary>Builds the backbone from <paramref name="configJson"/> with seeded random weights and writes the folder.</summary>
    /// <param name="provider">The backbone family.</param>
    /// <param name="configJson">Its configuration (a preset's text).</param>
    /// <param name="directory">Destination folder (created; files in it are replaced).</param>
    /// <param name="dtype">Weight dtype (float32, bfloat16, float16).</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="maxShardBytes">Largest shard; a checkpoint within it is written as one file.</param>
    /// <returns>What the written headers hold.</returns>
    public static CheckpointSummary Write(IBackboneProvider provider, string configJson, string directory, string dtype, int seed, long maxShardBytes)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1L);
        var type = TensorDType.Parse(dtype);
        var config = JsonNode.Parse(configJson)?.AsObject() ?? throw new ArgumentException("the configuration is not a JSON object");
        config["torch_dtype"] = TensorDType.Name(type);
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetFiles(directory, "model*.safetensors*"))
        {
            File.Delete(stale);
        }

        using var backbone = provider.FromConfig(config.ToJsonString(), new BackboneLoadOptions { DType = TensorDType.Name(type), RandomInit = true, Seed = seed });
        using var noGrad = no_grad();
        var state = backbone.Module.state_dict();
        var shards = Shard(state.Select(kv => (kv.Key, Bytes(kv.Value))).ToList(), maxShardBytes);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(directory, CheckpointFiles.Safetensors), state, new Dictionary<string, string> { ["format"] = "pt" });
        }
        else
        {
            var map = new JsonObject();
            for (var i = 0; i < shards.Count; i++)
            {
                var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                var names = shards[i].ToHashSet(StringComparer.Ordinal);
                SafetensorsWriter.Write(Path.Combine(directory, file), state.Where(kv => names.Contains(kv.Key)), new Dictionary<string, string> { ["format"] = "pt" });
                foreach (var name in shards[i])
                {
                    map[name] = file;
                }
            }

            var index = new JsonObject
            {
                ["metadata"] = new JsonObject { ["total_size"] = state.Values.Sum(Bytes) },
                ["weight_map"] = map,
            };
            AtomicFile.WriteAllText(Path.Combine(directory, CheckpointFiles.SafetensorsIndex), index.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        using var written = CheckpointFiles.Open(directory, allowPickle: false);
        return CheckpointSummary.Of(written);
    }

    /// <summary>Groups tensors, in state-dict order, into shards of at most <paramref name="maxBytes"/> (a larger tensor gets its own).</summary>
    /// <param name="tensors">Names and byte sizes.</param>
    /// <param name="maxBytes">Shard size limit.</param>
    public static IReadOnlyList<IReadOnlyList<string>> Shard(IReadOnlyList<(string Name, long Bytes)> tensors, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var shards = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long size = 0;
        foreach (var (name, bytes) in tensors)
        {
            if (current.Count > 0 && size + bytes > maxBytes)
            {
                shards.Add(current);
                current = [];
                size = 0;
            }

            current.Add(name);
            size += bytes;
        }

        if (current.Count > 0 || shards.Count == 0)
        {
            shards.Add(current);
        }

        return shards;
    }

    private static long Bytes(Tensor t) => t.numel() * TensorDType.ElementSize(t.dtype);
}

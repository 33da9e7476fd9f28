using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>A checkpoint split into shards with <c>model.safetensors.index.json</c> loads like the single file.</summary>
public sealed class ShardedCheckpointTests
{
    [Fact]
    public void ShardedSafetensors_ReproducesTheGoldenOutputs()
    {
        using var copy = new FixtureCopy("llama");
        var dir = WriteShards(copy);
        using var backbone = Providers.For("llama").FromPretrained(dir, new BackboneLoadOptions());
        var errors = GoldenCheck.Run(backbone, copy.Fixture, 1e-4, 1e-4);
        Assert.All(errors, e => Assert.True(e.Error < 1e-4));
    }

    [Fact]
    public void ShardedSafetensors_IndexPointingAtTheWrongShard_IsNamed()
    {
        using var copy = new FixtureCopy("llama");
        var dir = WriteShards(copy);
        var indexPath = copy.File("model.safetensors.index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!.AsObject();
        var current = index["weight_map"]!["model.norm.weight"]!.GetValue<string>();
        var other = current.StartsWith("model-00001", StringComparison.Ordinal) ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
        index["weight_map"]!["model.norm.weight"] = other;
        File.WriteAllText(indexPath, index.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("llama").FromPretrained(dir, new BackboneLoadOptions()));
        Assert.Contains("'model.norm.weight'", e.Message);
        Assert.Contains(other, e.Message);
    }

    private static string WriteShards(FixtureCopy copy)
    {
        File.WriteAllText(copy.File("config.json"), copy.Config.ToJsonString());
        var names = copy.Tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var map = new JsonObject();
        for (var s = 0; s < 2; s++)
        {
            var file = $"model-0000{s + 1}-of-00002.safetensors";
            var part = names.Where((_, i) => i % 2 == s).ToList();
            SafetensorsWriter.Write(copy.File(file), part.Select(n => new KeyValuePair<string, Tensor>(n, copy.Tensors[n])));
            part.ForEach(n => map[n] = file);
        }

        File.WriteAllText(copy.File("model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map }.ToJsonString());
        return copy.Path;
    }
}

using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Testing;
using NetLlm.Transformers.Checkpoints;
using NetLlm.Transformers.Tools;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// Weights of the parameter's dtype are read straight into its storage (issue 19); other dtypes go through a
/// temporary and a converting copy. Both must give exactly what the file holds, for every family, sharded or not.
/// </summary>
public sealed class DirectLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-direct-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    [InlineData("gpt2")]
    [InlineData("opt")]
    public void GoldenCheckpoint_LoadsEveryTensorExactlyAsStored(string arch)
    {
        var folder = TestPaths.Fixture($"golden/{arch}/model");
        using var backbone = Providers.For(arch).FromPretrained(folder, new BackboneLoadOptions());
        using var file = SafetensorsFile.Open(Path.Combine(folder, CheckpointFiles.Safetensors));
        var state = backbone.Module.state_dict();
        var compared = 0;
        foreach (var (name, parameter) in state)
        {
            var stored = file.Entries.Keys.FirstOrDefault(k => k == name || k == "model." + name || "model." + k == name || k.EndsWith("." + name, StringComparison.Ordinal) || name.EndsWith("." + k, StringComparison.Ordinal));
            if (stored is null)
            {
                continue;
            }

            using var expected = file.Read(stored, parameter.dtype);
            Assert.True(expected.allclose(parameter, rtol: 0, atol: 0), $"{arch}: '{name}' differs from '{stored}' in the file");
            compared++;
        }

        Assert.True(compared >= state.Count / 2, $"{arch}: only {compared} of {state.Count} tensors matched a stored name");
    }

    [Theory]
    [InlineData("bfloat16", "bfloat16")]
    [InlineData("bfloat16", "float32")]
    [InlineData("float32", "float32")]
    [InlineData("float32", "bfloat16")]
    public void RandomCheckpoint_ShardedOrNot_LoadsTheSeededWeights(string stored, string compute)
    {
        var config = File.ReadAllText(Path.Combine(TestPaths.Fixture("golden/llama/model"), "config.json"));
        var provider = Providers.For("llama");
        var single = Path.Combine(_dir, "single");
        var sharded = Path.Combine(_dir, "sharded");
        var one = RandomCheckpointTool.Write(provider, config, single, stored, seed: 5, maxShardBytes: 1L << 30);
        var many = RandomCheckpointTool.Write(provider, config, sharded, stored, seed: 5, maxShardBytes: 64 * 1024);
        Assert.Single(one.Files);
        Assert.True(many.Files.Count > 1, $"{many.Bytes} bytes in {many.Files.Count} file(s)");
        Assert.True(File.Exists(Path.Combine(sharded, CheckpointFiles.SafetensorsIndex)));
        Assert.Equal(stored, one.DType);
        Assert.Equal(one.Bytes, many.Bytes);

        using var seeded = provider.FromConfig(config, new BackboneLoadOptions { DType = stored, RandomInit = true, Seed = 5 });
        using var a = provider.FromPretrained(single, new BackboneLoadOptions { DType = compute });
        using var b = provider.FromPretrained(sharded, new BackboneLoadOptions { DType = compute });
        var expected = seeded.Module.state_dict();
        var fromSingle = a.Module.state_dict();
        var fromShards = b.Module.state_dict();
        foreach (var (name, value) in expected)
        {
            using var want = value.to_type(fromSingle[name].dtype);
            Assert.True(want.allclose(fromSingle[name], rtol: 0, atol: 0), $"{stored} -> {compute}: '{name}' (one file)");
            Assert.True(want.allclose(fromShards[name], rtol: 0, atol: 0), $"{stored} -> {compute}: '{name}' (shards)");
        }
    }

    [Fact]
    public void ConversionThatOverflows_IsRefusedNamingTheTensorAndTheDType()
    {
        var folder = Path.Combine(_dir, "big");
        using var copy = new FixtureCopy("llama");
        var tensors = copy.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);
        var name = tensors.Keys.First(k => k.EndsWith("q_proj.weight", StringComparison.Ordinal));
        tensors[name] = tensors[name].mul(1e6);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), copy.Config.ToJsonString());
        SafetensorsWriter.Write(Path.Combine(folder, CheckpointFiles.Safetensors), tensors);
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("llama").FromPretrained(folder, new BackboneLoadOptions { DType = "float16" }));
        Assert.Contains($"tensor '{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("overflows Float16", e.Message, StringComparison.Ordinal);
        using var wide = Providers.For("llama").FromPretrained(folder, new BackboneLoadOptions());
        Assert.NotNull(wide);
    }

    [Fact]
    public void Summary_ReadsDTypesAndBytesFromTheHeaders()
    {
        var config = File.ReadAllText(Path.Combine(TestPaths.Fixture("golden/llama/model"), "config.json"));
        var dir = Path.Combine(_dir, "summary");
        var written = RandomCheckpointTool.Write(Providers.For("llama"), config, dir, "bfloat16", seed: 1, maxShardBytes: 1L << 20);
        using var checkpoint = CheckpointFiles.Open(dir, allowPickle: false);
        var summary = CheckpointSummary.Of(checkpoint);
        Assert.Equal("bfloat16", summary.DType);
        Assert.Equal(written.Files, summary.Files);
        using var model = Providers.For("llama").FromConfig(config, new BackboneLoadOptions { DType = "bfloat16", RandomInit = true, Seed = 1 });
        Assert.Equal(model.Module.state_dict().Values.Sum(t => t.numel()) * 2, summary.Bytes);
        Assert.Equal(summary.Bytes, summary.BytesByDType["bfloat16"]);
    }

    [Fact]
    public void Shard_GroupsInOrderAndGivesAnOversizedTensorItsOwnShard()
    {
        var shards = RandomCheckpointTool.Shard([("a", 4), ("b", 4), ("c", 10), ("d", 1), ("e", 1)], maxBytes: 8);
        Assert.Equal(["a,b", "c", "d,e"], shards.Select(s => string.Join(",", s)));
        Assert.Single(RandomCheckpointTool.Shard([], 8));
    }
}

using System.Text.Json.Nodes;
using NetLlm.Core.IO;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Cli.Tests;

/// <summary>
/// <c>netllm backbone info|forward</c> on broken checkpoints and inputs (issue 15): <c>info</c> used to report a model
/// from config.json alone, and <c>forward</c> had its own reader that let ids outside the vocabulary crash in the model
/// and boolean or integer arrays pass as embeddings.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class BackboneCommandTests : IDisposable
{
    private readonly CliHarness _cli;
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-backbone-cli-").FullName;
    private readonly string _model = TestPaths.Fixture("golden/llama/model");

    public BackboneCommandTests(CliHarness cli)
    {
        _cli = cli;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Info_OnAGoodFolder_ReportsTheArchitectureFromItsWeights()
    {
        var run = _cli.Run("backbone", "info", "--model", _model, "--json");

        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("LlamaForCausalLM", (string?)json["architecture"]);
        Assert.Equal(2, (int)json["layers"]!);
        Assert.Equal(64, (int)json["hidden_size"]!);
        Assert.True((bool)json["weights_checked"]!);
    }

    [Fact]
    public void Info_ReportsTheDTypeAndBytesTheWeightsHold_NotConfigJsons()
    {
        var folder = CopyModel("says-float16");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        config["torch_dtype"] = "float16";
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        using var file = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        var bytes = file.Entries.Values.Sum(e => e.End - e.Begin);

        var run = _cli.Run("backbone", "info", "--model", folder, "--json");

        Assert.True(run.Exit == 0, run.Error);
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal("float32", (string?)json["checkpoint_dtype"]);
        Assert.Equal("weights", (string?)json["checkpoint_dtype_source"]);
        Assert.Equal("float16", (string?)json["config_torch_dtype"]);
        Assert.Equal(bytes, (long)json["checkpoint_bytes"]!);
        Assert.Equal(bytes, (long)json["checkpoint_bytes_by_dtype"]!["float32"]!);
        var configOnly = JsonNode.Parse(_cli.Run("backbone", "info", "--model", folder, "--config-only", "--json").Out)!;
        Assert.Equal("float16", (string?)configOnly["checkpoint_dtype"]);
        Assert.Equal("config.json", (string?)configOnly["checkpoint_dtype_source"]);
    }

    [Fact]
    public void Init_WritesARandomPresetAsShardsThatInfoAndForwardRead()
    {
        var folder = Path.Combine(_dir, "tiny-random");
        var init = _cli.Run("backbone", "init", "--preset", "llama-tiny-2x256", "--out", folder, "--max-shard-gb", "0.001", "--seed", "4", "--json");

        Assert.True(init.Exit == 0, init.Error);
        var written = JsonNode.Parse(init.Out)!;
        Assert.Equal("bfloat16", (string?)written["dtype"]);
        Assert.Equal(4, (int)written["seed"]!);
        var files = written["files"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.True(files.Count > 1, string.Join(", ", files));
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors.index.json")));
        var info = JsonNode.Parse(_cli.Run("backbone", "info", "--model", folder, "--json").Out)!;
        Assert.Equal("bfloat16", (string?)info["checkpoint_dtype"]);
        Assert.Equal((long)written["bytes"]!, (long)info["checkpoint_bytes"]!);
        Assert.Equal(2L * (long)info["parameters"]!, (long)info["checkpoint_bytes"]!);
        var ids = Save("tiny-ids.npy", tensor(new long[] { 1, 2, 3 }).reshape(1, 3));
        var forward = _cli.Run("backbone", "forward", "--model", folder, "--input-ids", ids, "--dtype", "bfloat16", "--out", Path.Combine(_dir, "tiny.npy"));
        Assert.True(forward.Exit == 0, forward.Error);
        var again = _cli.Run("backbone", "init", "--preset", "llama-tiny-2x256", "--out", Path.Combine(_dir, "again"), "--max-shard-gb", "0.001", "--seed", "4", "--json");
        Assert.Equal((long)written["bytes"]!, (long)JsonNode.Parse(again.Out)!["bytes"]!);
        foreach (var f in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, f)), File.ReadAllBytes(Path.Combine(_dir, "again", f)));
        }

        var bad = _cli.Run("backbone", "init", "--preset", "llama-tiny-2x256", "--out", folder, "--max-shard-gb", "0");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--max-shard-gb", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchBackbone_WithAModelFolder_ReportsLoadForwardDecisionAndTrainingBesideThePreset()
    {
        var json = Path.Combine(_dir, "bench.json");
        var run = _cli.Run("bench", "backbone", "--model", _model, "--quick", "--threads", "1", "--json", json);
        Assert.True(run.Exit == 0, run.Error);
        var cases = JsonNode.Parse(File.ReadAllText(json))!["suites"]!["backbone"]!["cases"]!.AsArray();
        Assert.Equal(2, cases.Count);
        Assert.Equal("random", (string?)cases[0]!["weights_mode"]);
        var folder = cases[1]!;
        Assert.Equal(_model, (string?)folder["model"]);
        Assert.Equal("map", (string?)folder["weights_mode"]);
        Assert.Equal("bfloat16", (string?)folder["dtype"]);
        Assert.Equal(32, (int)folder["forward_tokens"]!);
        Assert.Equal(2, (int)folder["decisions_timed"]!);
        Assert.True((long)folder["parameters"]! > 0);
        foreach (var key in new[] { "load_s", "first_forward_s", "forward_s", "time_to_first_output_s", "decision_ms_kv_cache", "train_step_s" })
        {
            Assert.True((double)folder[key]! > 0, $"{key} = {folder[key]}");
        }

        Assert.Equal((double)folder["load_s"]! + (double)folder["first_forward_s"]!, (double)folder["time_to_first_output_s"]!, 2);
        var bad = _cli.Run("bench", "backbone", "--model", Path.Combine(_dir, "missing"), "--quick", "--threads", "1");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("missing", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_TruncatedGarbageOrPickleOnlyWeights_FailsNamingTheFileAndTensor()
    {
        var truncated = CopyModel("truncated");
        using (var s = File.OpenWrite(Path.Combine(truncated, "model.safetensors")))
        {
            s.SetLength(3000);
        }

        var garbage = CopyModel("garbage");
        File.WriteAllBytes(Path.Combine(garbage, "model.safetensors"), Enumerable.Repeat((byte)0x7F, 5000).ToArray());
        var pickleOnly = CopyModel("pickle-only");
        File.Delete(Path.Combine(pickleOnly, "model.safetensors"));

        var t = _cli.Run("backbone", "info", "--model", truncated);
        Assert.Equal(1, t.Exit);
        Assert.Contains($"{truncated}/model.safetensors: tensor '", t.Error, StringComparison.Ordinal);
        Assert.Contains("the file is truncated", t.Error, StringComparison.Ordinal);
        var g = _cli.Run("backbone", "info", "--model", garbage);
        Assert.Equal(1, g.Exit);
        Assert.Contains($"{garbage}/model.safetensors: header length", g.Error, StringComparison.Ordinal);
        var p = _cli.Run("backbone", "info", "--model", pickleOnly);
        Assert.Equal(1, p.Exit);
        Assert.Contains("holds only a pickle checkpoint", p.Error, StringComparison.Ordinal);
        Assert.Equal(0, _cli.Run("backbone", "info", "--model", pickleOnly, "--allow-pickle").Exit);
        var configOnly = _cli.Run("backbone", "info", "--model", garbage, "--config-only", "--json");
        Assert.Equal(0, configOnly.Exit);
        Assert.False((bool)JsonNode.Parse(configOnly.Out)!["weights_checked"]!);
    }

    [Fact]
    public void Forward_IdsOutsideTheVocabularyOrIntegerEmbeddings_FailNamingTheFile()
    {
        var ids = Save("ids.npy", tensor(new long[] { 1, 2, 256 }).reshape(1, 3));
        var intEmbeds = Save("int.npy", ones(1, 3, 64, dtype: ScalarType.Int32));
        var good = Save("good.npy", tensor(new long[] { 1, 2, 3 }).reshape(1, 3));

        var outOfRange = _cli.Run("backbone", "forward", "--model", _model, "--input-ids", ids, "--out", Path.Combine(_dir, "o.npy"));
        Assert.Equal(1, outOfRange.Exit);
        Assert.Contains($"{ids}: token id 256 is outside the vocabulary of the model (0 to 255)", outOfRange.Error, StringComparison.Ordinal);
        var integers = _cli.Run("backbone", "forward", "--model", _model, "--inputs-embeds", intEmbeds, "--out", Path.Combine(_dir, "o.npy"));
        Assert.Equal(1, integers.Exit);
        Assert.Contains($"{intEmbeds}: expected floating input embeddings", integers.Error, StringComparison.Ordinal);
        var ok = _cli.Run("backbone", "forward", "--model", _model, "--input-ids", good, "--out", Path.Combine(_dir, "o.npy"));
        Assert.True(ok.Exit == 0, ok.Error);
        Assert.Equal(new long[] { 1, 3, 64 }, NpyFile.Read(Path.Combine(_dir, "o.npy")).Shape);
    }

    [Fact]
    public void Forward_ThatOverflowsOnFiniteButDamagedWeights_FailsInsteadOfWritingNaN()
    {
        // Every load check passes (the values are finite) but the logits overflow; the fuzz suite found bit flips
        // doing this with exit 0 and a NaN .npy.
        var model = CopyModel("overflow");
        var weights = Path.Combine(model, "model.safetensors");
        long begin, end, dataStart;
        using (var file = SafetensorsFile.Open(weights))
        {
            var entry = file.Entries["model.norm.weight"];
            (begin, end) = (entry.Begin, entry.End);
            dataStart = 8 + (long)BitConverter.ToUInt64(File.ReadAllBytes(weights), 0);
        }

        var bytes = File.ReadAllBytes(weights);
        for (var at = dataStart + begin; at < dataStart + end; at += 4)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan((int)at, 4), 3e38f);
        }

        File.WriteAllBytes(weights, bytes);
        var ids = Save("overflow-ids.npy", tensor(new long[] { 1, 2, 3 }).reshape(1, 3));
        var output = Path.Combine(_dir, "overflow.npy");

        var run = _cli.Run("backbone", "forward", "--model", model, "--input-ids", ids, "--output", "logits", "--out", output);

        Assert.Equal(1, run.Exit);
        Assert.Contains("NaN or infinite value(s) from finite inputs and weights", run.Error, StringComparison.Ordinal);
        Assert.Contains("'model.norm.weight'", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private string CopyModel(string name)
    {
        var target = Path.Combine(_dir, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(_model))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    private string Save(string name, Tensor t)
    {
        using (t)
        {
            NpyFile.Write(Path.Combine(_dir, name), t);
        }

        return Path.Combine(_dir, name);
    }
}

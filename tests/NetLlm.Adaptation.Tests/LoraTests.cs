using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Adaptation;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

public sealed class LoraTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-lora-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AdaptedGpt2_WithTheDefaultTargets_AdaptsTheFusedAttention_AndExplicitTargetsStay()
    {
        var registry = TestBackbones.Registry();
        using var gpt2 = AdaptedBackbone.Create(registry, new AdaptationOptions { BackbonePreset = TestBackbones.Gpt2Preset, Rank = 4 }, seed: 1);
        Assert.Equal(["transformer.h.0.attn.c_attn", "transformer.h.1.attn.c_attn"], gpt2.Lora!.Layers.Select(l => l.Path));

        var e = Assert.Throws<ArgumentException>(() => AdaptedBackbone.Create(
            registry, new AdaptationOptions { BackbonePreset = TestBackbones.Gpt2Preset, Rank = 4, TargetModules = ["q_proj"] }, seed: 1));
        Assert.Contains("c_attn", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_TargetsQAndV_FreezesTheBase_AndCountsTrainableParameters()
    {
        using var backbone = TestBackbones.Llama();
        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 4, Alpha = 8 });

        Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"], lora.Layers.Select(l => l.Path));
        // q: 32 -> 32, v: 32 -> 16 (2 kv heads of 8): r(in + out) each.
        var expected = 2 * ((4 * (32 + 32)) + (4 * (32 + 16)));
        var (trainable, total) = lora.CountParameters();
        Assert.Equal(expected, trainable);
        Assert.Equal(backbone.Info.ParameterCount + expected, total);
        Assert.All(backbone.Module.named_parameters(), p => Assert.Equal(p.name.Contains(".lora_", StringComparison.Ordinal), p.parameter.requires_grad));
        Assert.Contains("trainable params: 896", lora.Describe());
    }

    [Fact]
    public void HalfPrecisionBase_KeepsFloat32Adapters_ComputesTheUpdateInTheBaseDType_AndTrainsThem()
    {
        using var backbone = new NetLlm.Backbones.Llama.LlamaProvider().FromConfig(TestBackbones.LlamaConfig, new BackboneLoadOptions { RandomInit = true, Seed = 3, DType = "bfloat16" });
        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 2);
        var adapter = lora.Layers[0].Adapter;
        Assert.Equal(ScalarType.Float32, adapter.A.weight.dtype);
        Assert.Equal(ScalarType.Float32, adapter.B.weight.dtype);
        using (no_grad())
        {
            adapter.B.weight.normal_(0, 0.5);
        }

        // The update in bfloat16 matches the float32 product of the same weights within bfloat16 precision.
        using var x = randn(3, 32);
        using var delta = adapter.Delta(x.to_type(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, delta.dtype);
        using var exact = x.matmul(adapter.A.weight.t()).matmul(adapter.B.weight.t()).mul(adapter.Scaling);
        var error = delta.to_type(ScalarType.Float32).sub(exact).abs().max().item<float>();
        Assert.InRange(error, 0f, 0.02f * Math.Max(1f, exact.abs().max().item<float>()));

        // Gradients reach the float32 weights through the casts.
        using var embeds = randn(1, 5, 32).to_type(ScalarType.BFloat16);
        using (var output = backbone.Forward(new BackboneInput { InputsEmbeds = embeds }))
        {
            output.LastHiddenState.to_type(ScalarType.Float32).sum().backward();
        }

        Assert.Equal(ScalarType.Float32, adapter.A.weight.grad!.dtype);
        Assert.True(adapter.A.weight.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void FreshAdapter_ChangesNothing_BIsZero_AIsKaimingUniform()
    {
        using var backbone = TestBackbones.Llama();
        using var embeds = randn(1, 5, 32);
        using var before = Forward(backbone, embeds);
        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 8, Alpha = 16 });
        using var after = Forward(backbone, embeds);

        Assert.True(before.allclose(after, rtol: 0, atol: 0));
        var a = lora.Layers[0].Adapter.A.weight;
        Assert.Equal(0f, lora.Layers[0].Adapter.B.weight.abs().max().item<float>());
        // kaiming_uniform_(a=sqrt(5)) on [r, in]: bound = 1/sqrt(in).
        var bound = 1 / Math.Sqrt(32);
        Assert.True(a.abs().max().item<float>() <= bound + 1e-6);
        Assert.True(a.std().item<float>() > bound / 4);
    }

    [Fact]
    public void TargetModules_AllLinear_Regex_AndNoMatch()
    {
        using var b1 = TestBackbones.Llama();
        var all = LoraModel.Apply(b1.Module, new LoraOptions { Rank = 2, TargetModules = ["all-linear"] });
        Assert.Equal(14, all.Layers.Count);
        Assert.DoesNotContain(all.Layers, l => l.Path.EndsWith("lm_head", StringComparison.Ordinal));

        using var b2 = TestBackbones.Llama();
        var regex = LoraModel.Apply(b2.Module, new LoraOptions { Rank = 2, TargetModulesRegex = @".*\.1\.mlp\.(up|down)_proj" });
        Assert.Equal(["model.layers.1.mlp.down_proj", "model.layers.1.mlp.up_proj"], regex.Layers.Select(l => l.Path).Order(StringComparer.Ordinal));

        using var b3 = TestBackbones.Llama();
        var e = Assert.Throws<ArgumentException>(() => LoraModel.Apply(b3.Module, new LoraOptions { TargetModules = ["c_attn"] }));
        Assert.Contains("match no layer", e.Message);
        Assert.Contains("q_proj", e.Message);
    }

    [Fact]
    public void Gpt2FusedAttention_IsAdaptable_AndMergeMatchesTheUnmergedForward()
    {
        using var backbone = TestBackbones.Gpt2();
        backbone.Module.eval();
        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["c_attn"] });
        Assert.Equal(2, lora.Layers.Count);
        Assert.True(lora.Layers[0].Layer.FanInFanOut);
        Randomize(lora);
        using var embeds = randn(2, 6, 32);
        using var unmerged = Forward(backbone, embeds);
        lora.Merge();
        using var merged = Forward(backbone, embeds);
        Assert.True(unmerged.allclose(merged, rtol: 1e-5, atol: 1e-5));
        lora.Unmerge();
        using var again = Forward(backbone, embeds);
        Assert.True(unmerged.allclose(again, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SaveThenLoad_RoundTripsInPeftFormat()
    {
        using var source = TestBackbones.Llama(seed: 5);
        var lora = LoraModel.Apply(source.Module, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1 });
        Randomize(lora);
        source.Module.eval();
        PeftAdapter.Save(lora, _dir);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8.0, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(["q_proj", "v_proj"], config["target_modules"]!.AsArray().Select(x => x!.GetValue<string>()));
        using (var file = SafetensorsFile.Open(Path.Combine(_dir, "adapter_model.safetensors")))
        {
            Assert.Equal(8, file.Entries.Count);
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", file.Entries.Keys);
            Assert.Equal(new long[] { 16, 4 }, file.Entries["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"].Shape);
        }

        using var target = TestBackbones.Llama(seed: 5);
        var loaded = PeftAdapter.Load(target.Module, _dir);
        target.Module.eval();
        Assert.Equal(0.1, loaded.Options.Dropout);
        using var embeds = randn(2, 7, 32);
        using var a = Forward(source, embeds);
        using var b = Forward(target, embeds);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
    }

    [Fact]
    public void Load_MismatchedAdapter_ListsMissingAndUnexpectedTensors()
    {
        using var source = TestBackbones.Llama();
        PeftAdapter.Save(LoraModel.Apply(source.Module, new LoraOptions { Rank = 2, TargetModules = ["q_proj"] }), _dir);
        var config = Path.Combine(_dir, "adapter_config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"q_proj\"", "\"k_proj\"", StringComparison.Ordinal));

        using var target = TestBackbones.Llama();
        var e = Assert.Throws<InvalidDataException>(() => PeftAdapter.Load(target.Module, _dir));
        Assert.Contains("Missing (4)", e.Message);
        Assert.Contains("k_proj.lora_A.weight", e.Message);
        Assert.Contains("Unexpected (4)", e.Message);
    }

    [Fact]
    public void Load_ShapeMismatch_NamesTensorShapesAndFile()
    {
        using var source = TestBackbones.Llama();
        PeftAdapter.Save(LoraModel.Apply(source.Module, new LoraOptions { Rank = 2 }), _dir);
        var config = Path.Combine(_dir, "adapter_config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"r\": 2", "\"r\": 3", StringComparison.Ordinal));

        using var target = TestBackbones.Llama();
        var e = Assert.Throws<InvalidDataException>(() => PeftAdapter.Load(target.Module, _dir));
        Assert.Contains("adapter_model.safetensors", e.Message);
        Assert.Contains("[2, 32]", e.Message);
        Assert.Contains("[3, 32]", e.Message);
    }

    [Fact]
    public void Options_Validate_NameTheField()
    {
        Assert.Contains("r must be", Assert.Throws<ArgumentException>(() => new LoraOptions { Rank = 0 }.Validate()).Message);
        Assert.Contains("bias 'some'", Assert.Throws<ArgumentException>(() => new LoraOptions { Bias = "some" }.Validate()).Message);
        var e = Assert.Throws<InvalidDataException>(() => LoraOptions.FromPeftJson("""{"peft_type":"IA3","r":4}""", "x.json"));
        Assert.Contains("x.json: peft_type 'IA3'", e.Message);
    }

    /// <summary>Each malformed or unsupported adapter_config.json is refused naming the file and the field (issue 15).</summary>
    [Theory]
    [InlineData("\"r\": 4.7", "'r' must be an integer from 1 to 65536 (got 4.7)")]
    [InlineData("\"r\": 1e10", "'r' must be an integer from 1 to 65536 (got 1e10)")]
    [InlineData("\"r\": \"8\"", "'r' must be a number (got \"8\")")]
    [InlineData("\"r\": 4, \"lora_alpha\": 0", "lora_alpha must be a number above 0")]
    [InlineData("\"r\": 4, \"lora_alpha\": -8", "lora_alpha must be a number above 0")]
    [InlineData("\"r\": 4, \"lora_alpha\": 1e30", "lora_alpha must be a number above 0 and at most 1000000")]
    [InlineData("\"r\": 4, \"target_modules\": [null]", "'target_modules'[0] must be a module name (got null)")]
    [InlineData("\"r\": 4, \"target_modules\": [\"q_proj\", 3]", "'target_modules'[1] must be a module name (got 3)")]
    [InlineData("\"r\": 4, \"modules_to_save\": [null]", "'modules_to_save'[0] must be a module name (got null)")]
    [InlineData("\"r\": 4, \"alpha_pattern\": {\"q_proj\": 64}", "'alpha_pattern' (per-module lora_alpha) is set to")]
    [InlineData("\"r\": 4, \"rank_pattern\": {\"q_proj\": 2}", "'rank_pattern' (per-module r) is set to")]
    [InlineData("\"r\": 4, \"layers_to_transform\": [0, 1]", "'layers_to_transform' (adapting only some layers) is set to [0,1]")]
    [InlineData("\"r\": 4, \"use_dora\": true", "'use_dora' (DoRA) is set to true")]
    [InlineData("\"r\": 4, \"fan_in_fan_out\": true", "'fan_in_fan_out' (transposed (Conv1D) base weights) is set to true")]
    [InlineData("\"r\": 4, \"use_rslora\": \"yes\"", "'use_rslora' must be true or false")]
    [InlineData("\"r\": 4, \"bias\": 1", "'bias' must be a string (got 1)")]
    public void MalformedAdapterConfig_IsRefusedNamingTheField(string fields, string expected)
    {
        var targets = fields.Contains("target_modules", StringComparison.Ordinal) ? string.Empty : "\"target_modules\": [\"q_proj\"], ";
        var json = "{\"peft_type\": \"LORA\", " + targets + fields + "}";

        var e = Assert.Throws<InvalidDataException>(() => LoraOptions.FromPeftJson(json, "adapter/adapter_config.json"));

        Assert.StartsWith("adapter/adapter_config.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PeftDefaultsOfTheUnsupportedFields_Load()
    {
        var json = """{"peft_type": "LORA", "r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "alpha_pattern": {}, "rank_pattern": {}, "layers_to_transform": null, "layers_pattern": null, "use_dora": false, "fan_in_fan_out": false}""";

        var options = LoraOptions.FromPeftJson(json, "a.json");

        Assert.Equal((4, 8.0, 2.0), (options.Rank, options.Alpha, options.Scaling));
    }

    internal static Tensor Forward(IBackbone backbone, Tensor embeds)
    {
        using var noGrad = no_grad();
        using var output = backbone.Forward(new BackboneInput { InputsEmbeds = embeds });
        return output.LastHiddenState.clone();
    }

    internal static void Randomize(LoraModel lora)
    {
        using var noGrad = no_grad();
        foreach (var (_, _, adapter) in lora.Layers)
        {
            adapter.B.weight.copy_(randn_like(adapter.B.weight) * 0.1);
        }
    }
}

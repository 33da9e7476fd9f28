using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>Every kind of bad input gives a clear exception naming the file and the keys or tensors.</summary>
public sealed class BadInputTests
{
    private static readonly BackboneLoadOptions Defaults = new();

    [Fact]
    public void Config_MissingRequiredKey_IsNamedWithTheFile()
    {
        using var copy = new FixtureCopy("llama");
        copy.Config.Remove("hidden_size");
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir, Defaults));
        Assert.Contains(Path.Combine(dir, "config.json"), e.Message);
        Assert.Contains("missing required key(s): hidden_size", e.Message);
    }

    [Theory]
    [InlineData("llama", "hidden_size", 1_048_576.0, "is larger than any model this loader accepts")]
    [InlineData("llama", "num_hidden_layers", 2_147_483_647.0, "is larger than any model this loader accepts")]
    [InlineData("llama", "vocab_size", 2_147_483_647.0, "is larger than any model this loader accepts")]
    [InlineData("llama", "rope_theta", 1e308, "is not a usable number")]
    [InlineData("gpt2", "n_layer", 100_000.0, "is larger than any model this loader accepts")]
    [InlineData("opt", "ffn_dim", 1e9, "is larger than any model this loader accepts")]
    public void Config_AbsurdSizes_AreRefusedNamingTheKeyBeforeAnyAllocation(string family, string key, double value, string message)
    {
        using var copy = new FixtureCopy(family);
        copy.Config[key] = value;
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => Providers.For(family).FromPretrained(dir, Defaults));
        Assert.Contains($"config.json: key '{key}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_UnknownKey_IsNamed()
    {
        using var copy = new FixtureCopy("mistral");
        copy.Config["hiden_size"] = 64;
        copy.Config["rope_scaling_factor"] = 2;
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("mistral").FromPretrained(dir, Defaults));
        Assert.Contains("unknown key(s) for MistralConfig: hiden_size, rope_scaling_factor", e.Message);
    }

    [Fact]
    public void Config_UnknownModelType_IsRejectedByTheFamilyAndTheRegistry()
    {
        using var copy = new FixtureCopy("llama");
        copy.Config["model_type"] = "falcon";
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir, Defaults));
        Assert.Contains("unknown model_type 'falcon'", e.Message);
        Assert.Contains("it loads: llama", e.Message);

        var registry = new PluginRegistry(backbones: new[] { "gpt2", "opt", "llama", "mistral" }.Select(Providers.For));
        var k = Assert.Throws<KeyNotFoundException>(() => registry.GetBackboneForModelType("falcon"));
        Assert.Contains("falcon", k.Message);
        Assert.Equal("mistral", registry.GetBackboneForModelType("mistral").Family);
    }

    [Fact]
    public void Config_WrongValueTypeAndInconsistentValues_AreNamed()
    {
        using var copy = new FixtureCopy("gpt2");
        copy.Config["n_embd"] = "64";
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("gpt2").FromPretrained(dir, Defaults));
        Assert.Contains("'n_embd'", e.Message);
        Assert.Contains("wrong type", e.Message);

        copy.Config["n_embd"] = 64;
        copy.Config["n_head"] = 5;
        copy.Write();
        e = Assert.Throws<InvalidDataException>(() => Providers.For("gpt2").FromPretrained(dir, Defaults));
        Assert.Contains("n_embd 64 is not divisible by n_head 5", e.Message);
    }

    [Fact]
    public void Config_QuantizedCheckpoint_IsRefused()
    {
        using var copy = new FixtureCopy("opt");
        copy.Config["quantization_config"] = new JsonObject { ["load_in_8bit"] = true };
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("opt").FromPretrained(dir, Defaults));
        Assert.Contains("quantization_config", e.Message);
    }

    [Fact]
    public void Checkpoint_MissingAndUnexpectedTensors_AreListedByName()
    {
        using var copy = new FixtureCopy("llama");
        copy.Tensors.Remove("model.layers.1.mlp.up_proj.weight", out var removed);
        removed!.Dispose();
        copy.Tensors["model.layers.2.mlp.up_proj.weight"] = zeros(176, 64);
        copy.Tensors["model.extra_scale"] = ones(1);
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir, Defaults));
        Assert.Contains(copy.WeightsFile, e.Message);
        Assert.Contains("missing 1 tensor(s): model.layers.1.mlp.up_proj.weight", e.Message);
        Assert.Contains("unexpected 2 tensor(s): model.extra_scale, model.layers.2.mlp.up_proj.weight", e.Message);
    }

    [Fact]
    public void Checkpoint_ShapeMismatch_NamesTensorBothShapesAndFile()
    {
        using var copy = new FixtureCopy("opt");
        copy.Tensors["model.decoder.layers.0.fc1.weight"].Dispose();
        copy.Tensors["model.decoder.layers.0.fc1.weight"] = zeros(128, 32);
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("opt").FromPretrained(dir, Defaults));
        Assert.Contains($"tensor 'model.decoder.layers.0.fc1.weight' in {copy.WeightsFile} has shape [128, 32] but OPTForCausalLM expects [128, 64]", e.Message);
    }

    [Fact]
    public void Checkpoint_IntegerTensorForAFloatParameter_IsAnUnsupportedDtype()
    {
        using var copy = new FixtureCopy("llama");
        copy.Tensors["model.norm.weight"].Dispose();
        copy.Tensors["model.norm.weight"] = ones(64, dtype: ScalarType.Int64);
        var dir = copy.Write();
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir, Defaults));
        Assert.Contains("'model.norm.weight'", e.Message);
        Assert.Contains("dtype Int64", e.Message);
    }

    [Fact]
    public void Safetensors_UnsupportedDtypeCode_NamesFileAndTensor()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(GoldenFixture.Open("llama").ModelDirectory, "config.json"), dir.File("config.json"));
        WriteRaw(dir.File("model.safetensors"), "{\"model.norm.weight\":{\"dtype\":\"F8_E4M3\",\"shape\":[64],\"data_offsets\":[0,64]}}", 64);
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir.Path, Defaults));
        Assert.Contains(dir.File("model.safetensors"), e.Message);
        Assert.Contains("'model.norm.weight'", e.Message);
        Assert.Contains("unsupported dtype 'F8_E4M3'", e.Message);
    }

    [Fact]
    public void Safetensors_Truncated_IsRejectedNamingTheFile()
    {
        using var copy = new FixtureCopy("gpt2");
        var dir = copy.Write();
        var bytes = File.ReadAllBytes(copy.WeightsFile);
        File.WriteAllBytes(copy.WeightsFile, bytes[..^1000]);
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("gpt2").FromPretrained(dir, Defaults));
        Assert.Contains(copy.WeightsFile, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Safetensors_OverlappingOrOutOfRangeOffsets_AreRejected()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(GoldenFixture.Open("llama").ModelDirectory, "config.json"), dir.File("config.json"));
        var path = dir.File("model.safetensors");
        WriteRaw(path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir.Path, Defaults));
        Assert.Contains("'b' [8, 24] overlaps tensor 'a' [0, 16]", e.Message);

        WriteRaw(path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}", 24);
        e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(dir.Path, Defaults));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("exceed", e.Message);
    }

    [Fact]
    public void Folder_WithoutWeights_ListsTheNamesLookedFor()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(GoldenFixture.Open("llama").ModelDirectory, "config.json"), dir.File("config.json"));
        var e = Assert.Throws<FileNotFoundException>(() => new LlamaProvider().FromPretrained(dir.Path, Defaults));
        Assert.Contains("model.safetensors.index.json", e.Message);
        Assert.Throws<FileNotFoundException>(() => new LlamaProvider().FromPretrained(Path.Combine(dir.Path, "nothing"), Defaults));
    }

    [Fact]
    public void Forward_BadInputs_AreNamed()
    {
        using var fx = GoldenFixture.Open("llama");
        using var backbone = new LlamaProvider().FromPretrained(fx.ModelDirectory, Defaults);
        using var ids = fx.Input("input_ids");
        using var embeds = fx.Input("inputs_embeds");
        Assert.Contains("exactly one", Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputIds = ids, InputsEmbeds = embeds })).Message);
        using var narrow = zeros(2, 3, 32);
        Assert.Contains("[batch, tokens, 64]", Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputsEmbeds = narrow })).Message);
        using var floatIds = zeros(2, 3);
        Assert.Contains("integer tensor", Assert.Throws<ArgumentException>(() => backbone.Forward(new BackboneInput { InputIds = floatIds })).Message);
    }

    private static void WriteRaw(string path, string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}

using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Testing.Conformance;
using static TorchSharp.torch;

namespace Sample.NetLlmBackbone.Tests;

/// <summary>
/// Loading model folders: a checkpoint written from a seeded model reproduces that model's outputs through the
/// conformance kit's golden check (the fixture layout of NetLlm's golden backbone tests), and bad folders fail
/// naming the file.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sample-decoder-").FullName;

    [Fact]
    public void Checkpoint_ReproducesTheGoldenOutputsOfTheModelItWasSavedFrom()
    {
        var (model, fixture) = WriteModelAndFixture(seed: 4);

        using var loaded = new SampleDecoderProvider().FromPretrained(model, new BackboneLoadOptions());
        var worst = BackboneChecks.ReproducesGolden(loaded, fixture, atol: 1e-5, rtol: 1e-5);

        Assert.InRange(worst, 0.0, 1e-5);
    }

    [Fact]
    public void GoldenCheck_FailsForDifferentWeights()
    {
        var (_, fixture) = WriteModelAndFixture(seed: 5);

        using var other = BackboneTests.CreateTiny(seed: 6);

        Assert.Throws<ConformanceException>(() => BackboneChecks.ReproducesGolden(other, fixture));
    }

    [Fact]
    public void Config_WithAMissingKey_FailsNamingTheFileAndKey()
    {
        var model = Directory.CreateDirectory(Path.Combine(_folder, "broken")).FullName;
        File.WriteAllText(Path.Combine(model, "config.json"), "{\"model_type\": \"sample-decoder\", \"vocab_size\": 8}");

        var error = Assert.Throws<InvalidDataException>(() => new SampleDecoderProvider().FromPretrained(model, new BackboneLoadOptions()));

        Assert.Contains(Path.Combine(model, "config.json"), error.Message);
        Assert.Contains("hidden_size", error.Message);
    }

    [Fact]
    public void Config_OfAnotherFamily_IsRejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => new SampleDecoderProvider().FromConfig("{\"model_type\": \"llama\"}", new BackboneLoadOptions()));

        Assert.Contains("unknown model_type 'llama'", error.Message);
    }

    [Fact]
    public void CanLoadAndReadConfig_DescribeOnlyThisFamilysFolders()
    {
        var (model, _) = WriteModelAndFixture(seed: 7);
        var other = Directory.CreateDirectory(Path.Combine(_folder, "other")).FullName;
        File.WriteAllText(Path.Combine(other, "config.json"), "{\"model_type\": \"llama\"}");
        var provider = new SampleDecoderProvider();

        Assert.True(provider.CanLoad(model));
        Assert.False(provider.CanLoad(other));
        Assert.False(provider.CanLoad(Path.Combine(_folder, "missing")));
        using var meta = provider.FromConfig(provider.ReadConfig(model), new BackboneLoadOptions { Device = "meta", RandomInit = true });
        Assert.Equal(64, meta.Info.HiddenSize);
        Assert.Contains("not a sample-decoder model folder", Assert.Throws<ArgumentException>(() => provider.ReadConfig(other)).Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes a model folder (config.json, model.safetensors) and a golden fixture computed from the same model.</summary>
    private (string Model, string Fixture) WriteModelAndFixture(int seed)
    {
        var model = Directory.CreateDirectory(Path.Combine(_folder, $"model-{seed}")).FullName;
        var fixture = Path.Combine(_folder, $"fixture-{seed}");
        Directory.CreateDirectory(Path.Combine(fixture, "inputs"));
        Directory.CreateDirectory(Path.Combine(fixture, "expected"));
        File.WriteAllText(Path.Combine(model, "config.json"), new SampleDecoderProvider().Presets[BackboneTests.Preset]);
        using var source = BackboneTests.CreateTiny(seed);
        ModuleStateFile.Save(source.Module, Path.Combine(model, "model.safetensors"));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(seed);
        var ids = randint(0, 256, new long[] { 2, 6 });
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }).view(2, 6);
        var embeds = randn(2, 4, 64);
        using var tokens = source.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputLogits = true });
        using var fromEmbeds = source.Forward(new BackboneInput { InputsEmbeds = embeds, OutputLogits = true });
        SafetensorsWriter.Write(Path.Combine(fixture, "inputs", "tensors.safetensors"), new Dictionary<string, Tensor>
        {
            ["input_ids"] = ids,
            ["attention_mask"] = mask,
            ["inputs_embeds"] = embeds,
        });
        SafetensorsWriter.Write(Path.Combine(fixture, "expected", "tensors.safetensors"), new Dictionary<string, Tensor>
        {
            ["tokens_last_hidden_state"] = tokens.LastHiddenState,
            ["tokens_logits"] = tokens.Logits!,
            ["embeds_last_hidden_state"] = fromEmbeds.LastHiddenState,
            ["embeds_logits"] = fromEmbeds.Logits!,
        });
        return (model, fixture);
    }
}

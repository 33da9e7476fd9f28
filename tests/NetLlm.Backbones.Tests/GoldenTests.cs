using NetLlm.Abstractions.Backbones;
using NetLlm.Testing;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// Every expected tensor of the golden fixtures golden/{gpt2,opt,llama,mistral} (transformers 4.34.1, float32; from
/// tests/fixtures, see TestPaths.Fixture) within atol 1e-4 + rtol 1e-4, positions with attention mask 0 excluded,
/// loading model.safetensors and (opted in) pytorch_model.bin.
/// </summary>
public sealed class GoldenTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("gpt2")]
    [InlineData("opt")]
    [InlineData("llama")]
    [InlineData("mistral")]
    public void Safetensors_ReproducesEveryExpectedTensor(string arch) => CheckGolden(arch, "safetensors", TestPaths.Fixture($"golden/{arch}/model"));

    /// <summary>tests/fixtures ships llama's pytorch_model.bin only: the pickle loader is one code path for all families.</summary>
    [Fact]
    public void Pickle_OptedIn_ReproducesEveryExpectedTensor() => CheckGolden("llama", "bin", TestPaths.Fixture("golden/llama/model"));

    /// <summary>The other families' pickled checkpoints are in the shared fixtures only.</summary>
    [SharedFixtureTheory("golden/gpt2/model/pytorch_model.bin", "golden/opt/model/pytorch_model.bin", "golden/mistral/model/pytorch_model.bin")]
    [InlineData("gpt2")]
    [InlineData("opt")]
    [InlineData("mistral")]
    public void Pickle_OptedIn_ReproducesEveryExpectedTensor_OtherFamilies(string arch) =>
        CheckGolden(arch, "bin", Path.GetDirectoryName(TestPaths.Fixture($"golden/{arch}/model/pytorch_model.bin"))!);

    private void CheckGolden(string arch, string format, string modelDirectory)
    {
        using var fx = GoldenFixture.Open(arch);
        using var dir = new TempDirectory().Link(modelDirectory, "config.json", format == "bin" ? "pytorch_model.bin" : "model.safetensors");
        using var backbone = Providers.For(arch).FromPretrained(dir.Path, new BackboneLoadOptions { AllowPickle = format == "bin" });
        var errors = GoldenCheck.Run(backbone, fx, atol: 1e-4, rtol: 1e-4);
        foreach (var (name, err) in errors)
        {
            output.WriteLine($"{arch} {format} {name}: max abs error {err:G3}");
        }

        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void Pickle_WithoutOptIn_IsRefusedNamingTheFlag()
    {
        using var fx = GoldenFixture.Open("llama");
        using var dir = new TempDirectory().Link(fx.ModelDirectory, "config.json", "pytorch_model.bin");
        var e = Assert.Throws<InvalidDataException>(() => Providers.For("llama").FromPretrained(dir.Path, new BackboneLoadOptions()));
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.Contains("AllowPickle", e.Message);
    }
}

/// <summary>Runs a backbone on a fixture's token and embedding inputs and compares all six expected tensors.</summary>
internal static class GoldenCheck
{
    public static List<(string Name, double Error)> Run(IBackbone backbone, GoldenFixture fx, double atol, double rtol)
    {
        var errors = new List<(string, double)>();
        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var embeds = fx.Input("inputs_embeds");
        foreach (var (prefix, input, validMask) in new (string, BackboneInput, Tensor?)[]
        {
            ("tokens", new BackboneInput { InputIds = ids, AttentionMask = mask, OutputHiddenStates = true, OutputLogits = true }, mask),
            ("embeds", new BackboneInput { InputsEmbeds = embeds, OutputHiddenStates = true, OutputLogits = true }, null),
        })
        {
            using var result = backbone.Forward(input);
            using var expLogits = fx.Expected(prefix + "_logits");
            using var expLast = fx.Expected(prefix + "_last_hidden_state");
            using var expHidden = fx.Expected(prefix + "_hidden_states");
            using var hidden = stack(result.HiddenStates!, 0);
            Assert.False(result.Logits!.isnan().any().item<bool>(), $"{prefix}: NaN in the logits (padded query rows must stay finite)");
            errors.Add((prefix + "_logits", Tolerance.AssertClose(result.Logits!, expLogits, validMask, atol, rtol, prefix + "_logits")));
            errors.Add((prefix + "_last_hidden_state", Tolerance.AssertClose(result.LastHiddenState, expLast, validMask, atol, rtol, prefix + "_last_hidden_state")));
            errors.Add((prefix + "_hidden_states", Tolerance.AssertClose(hidden, expHidden, validMask, atol, rtol, prefix + "_hidden_states")));
        }

        return errors;
    }
}

using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Lora;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>The backbones work with the shared LoRA code and train: PEFT adapters attach by HF module names, gradients flow.</summary>
public sealed class AdaptationCompatibilityTests
{
    [Fact]
    public void LlamaFixture_WithThePeftAdapter_ReproducesTheLoraExpectedOutputs()
    {
        using var fx = GoldenFixture.Open("llama", Path.Combine("lora", "expected"));
        using var backbone = Providers.For("llama").FromPretrained(fx.ModelDirectory, new BackboneLoadOptions());
        var lora = PeftAdapter.Load(backbone.Module, Path.Combine(fx.Directory, "lora", "adapter"));
        Assert.Equal(4, lora.Layers.Count);
        var errors = GoldenCheck.Run(backbone, fx, 1e-4, 1e-4);
        Assert.Equal(6, errors.Count);
    }

    [Theory]
    [InlineData("llama-tiny-2x256", "q_proj")]
    [InlineData("gpt2-tiny-2x256", "c_attn")]
    public void Backward_ReachesAdaptersAndInputsButNotFrozenWeights(string preset, string target)
    {
        var family = preset.Split('-')[0];
        var provider = Providers.For(family);
        using var backbone = provider.FromConfig(provider.Presets[preset], new BackboneLoadOptions { Seed = 1 });
        backbone.Module.train();
        var lora = LoraModel.Apply(backbone.Module, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = [target] }, seed: 2);
        Assert.Equal(2, lora.Layers.Count);
        using var x = randn(1, 12, backbone.HiddenSize).requires_grad_(true);
        using (var output = backbone.Forward(new BackboneInput { InputsEmbeds = x }))
        {
            using var loss = output.LastHiddenState.pow(2).mean();
            loss.backward();
        }

        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
        var (_, layer, adapter) = lora.Layers[0];
        Assert.True(adapter.B.weight.grad!.abs().sum().item<float>() > 0, "LoRA B receives a gradient");
        Assert.Null(layer.Weight.grad);
    }
}

using NetLlm.Core.Adaptation;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Core.Plugins;
using NetLlm.Testing;
using NetLlm.Transformers.Tools;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>Every decoder family's layer loop under activation checkpointing gives the gradients of the plain pass.</summary>
public sealed class GradientCheckpointingTests
{
    private static readonly PluginRegistry Registry = new(backbones: new[] { "gpt2", "opt", "llama", "mistral" }.Select(Providers.For));

    [Theory]
    [InlineData("gpt2", false)]
    [InlineData("opt", true)]
    [InlineData("llama", true)]
    [InlineData("mistral", false)]
    public void InputGradients_EqualThePlainPass(string arch, bool padded)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = BackboneFactory.Load(Registry, fx.ModelDirectory, new BackboneLoadOptions());
        var checkpointing = Assert.IsAssignableFrom<IGradientCheckpointing>(backbone);
        using var embeds = NpyFile.ReadTensor(Path.Combine(fx.Directory, "inputs", "inputs_embeds.npy"));
        using var mask = padded ? ones(embeds.shape[0], embeds.shape[1], dtype: ScalarType.Int64) : null;
        mask?[1].narrow(0, 0, 3).fill_(0);
        manual_seed(3);
        using var weights = randn(embeds.shape[0], embeds.shape[1], backbone.HiddenSize);
        backbone.Module.train();

        float[] Gradient(bool on)
        {
            checkpointing.GradientCheckpointing = on;
            using var x = embeds.detach().clone().requires_grad_(true);
            using var output = backbone.Forward(new BackboneInput { InputsEmbeds = x, AttentionMask = mask });
            using var loss = output.LastHiddenState.mul(weights).sum();
            loss.backward();
            return x.grad!.data<float>().ToArray();
        }

        var plain = Gradient(false);
        var checkpointed = Gradient(true);
        var scale = plain.Max(Math.Abs);
        Assert.True(scale > 0);
        Assert.All(plain.Zip(checkpointed), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 * scale, $"{p.First} vs {p.Second}"));
    }
}

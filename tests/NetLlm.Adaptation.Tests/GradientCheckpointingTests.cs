using NetLlm.Abstractions.Backbones;
using NetLlm.Core.Adaptation;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

/// <summary>Activation checkpointing changes memory and compute, never the gradients.</summary>
public sealed class GradientCheckpointingTests
{
    [Theory]
    [InlineData(TestBackbones.LlamaPreset, false)]
    [InlineData(TestBackbones.LlamaPreset, true)]
    [InlineData(TestBackbones.Gpt2Preset, true)]
    public void CheckpointedStep_GivesTheSameLossAndGradients_WithDropout(string preset, bool padded)
    {
        var plain = Step(preset, padded, checkpointing: false);
        var checkpointed = Step(preset, padded, checkpointing: true);
        Assert.Equal(plain.Loss, checkpointed.Loss, 6);
        Assert.Equal(plain.Gradients.Count, checkpointed.Gradients.Count);
        Assert.True(plain.Gradients.Count >= 5);
        for (var i = 0; i < plain.Gradients.Count; i++)
        {
            var (name, expected) = plain.Gradients[i];
            var actual = checkpointed.Gradients[i].Values;
            Assert.Equal(name, checkpointed.Gradients[i].Name);
            Assert.True(expected.Any(v => v != 0), $"{name}: zero gradient");
            var scale = expected.Max(Math.Abs);
            Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5 * scale + 1e-7, $"{name}: {p.First} vs {p.Second}"));
        }
    }

    [Fact]
    public void Option_IsRecorded_AndMayChangeOnResume()
    {
        var options = new AdaptationOptions { BackbonePreset = TestBackbones.LlamaPreset, GradientCheckpointing = true };
        Assert.True((bool)options.ToJson()["gradient_checkpointing"]!);
        using var adapted = AdaptedBackbone.Create(TestBackbones.Registry(), options, seed: 1);
        Assert.True(((IGradientCheckpointing)adapted.Backbone).GradientCheckpointing);
    }

    private static (double Loss, List<(string Name, float[] Values)> Gradients) Step(string preset, bool padded, bool checkpointing)
    {
        var options = new AdaptationOptions { BackbonePreset = preset, Rank = 4, LoraDropout = 0.2, GradientCheckpointing = checkpointing };
        using var adapted = AdaptedBackbone.Create(TestBackbones.Registry(), options, seed: 1);
        using (no_grad())
        {
            manual_seed(9);
            foreach (var layer in adapted.Lora!.Layers)
            {
                layer.Adapter.B.weight.normal_(0, 0.3);
            }
        }

        adapted.Backbone.Module.train();
        manual_seed(21);
        var d = adapted.Backbone.HiddenSize;
        using var embeds = randn(2, 9, d).requires_grad_(true);
        using var mask = ones(2, 9, dtype: ScalarType.Int64);
        if (padded)
        {
            mask[1].narrow(0, 0, 3).fill_(0);
        }

        using var positions = tensor(new long[] { 2, 8, 4, 8 }).view(2, 2);
        using var weights = randn(2, 2, d);
        manual_seed(5); // the dropout masks
        using var output = adapted.Backbone.Forward(new BackboneInput
        {
            InputsEmbeds = embeds,
            AttentionMask = padded ? mask : null,
            OutputPositions = preset == TestBackbones.LlamaPreset ? positions : null,
        });
        using var hidden = preset == TestBackbones.LlamaPreset ? output.LastHiddenState : output.LastHiddenState.gather(1, positions.unsqueeze(-1).expand(2, 2, d));
        using var loss = hidden.mul(weights).sum();
        loss.backward();
        var gradients = new List<(string, float[])> { ("inputs_embeds", embeds.grad!.data<float>().ToArray()) };
        gradients.AddRange(adapted.Lora!.Layers.SelectMany(l => new[]
        {
            (l.Path + ".lora_A", l.Adapter.A.weight.grad!.data<float>().ToArray()),
            (l.Path + ".lora_B", l.Adapter.B.weight.grad!.data<float>().ToArray()),
        }));
        return (loss.item<float>(), gradients);
    }
}

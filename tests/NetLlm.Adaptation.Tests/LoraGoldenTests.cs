using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

/// <summary>The PEFT fixture: a real peft 0.6.2 adapter on the golden Llama and its expected outputs.</summary>
public sealed class LoraGoldenTests
{
    private static string Golden => TestPaths.Fixture("golden/llama");

    private static IBackbone LoadBase() =>
        new LlamaProvider().FromPretrained(Path.Combine(Golden, "model"), new BackboneLoadOptions());

    [Theory]
    [InlineData("tokens")]
    [InlineData("embeds")]
    public void PeftAdapter_ReproducesTheReferenceOutputs(string input)
    {
        using var backbone = LoadBase();
        var lora = PeftAdapter.Load(backbone.Module, Path.Combine(Golden, "lora", "adapter"));
        backbone.Module.eval();
        Assert.Equal(4, lora.Layers.Count);
        Assert.Equal(2.0, lora.Options.Scaling);

        using var expected = SafetensorsFile.Open(Path.Combine(Golden, "lora", "expected", "tensors.safetensors"));
        var (logits, hidden) = Run(backbone, input);
        using (logits)
        using (hidden)
        {
            using var wantLogits = expected.Read($"{input}_logits");
            using var wantHidden = expected.Read($"{input}_last_hidden_state");
            using var mask = Mask(input, logits.shape[1]);
            Assert.True(Close(logits, wantLogits, mask, out var e1), $"logits differ by {e1}");
            Assert.True(Close(hidden, wantHidden, mask, out var e2), $"last_hidden_state differs by {e2}");
        }
    }

    [Fact]
    public void MergedAdapter_GivesTheSameOutputs_AndUnmergeRestoresTheBase()
    {
        using var backbone = LoadBase();
        backbone.Module.eval();
        using var expected = SafetensorsFile.Open(Path.Combine(Golden, "lora", "expected", "tensors.safetensors"));
        using var baseExpected = SafetensorsFile.Open(Path.Combine(Golden, "expected", "tensors.safetensors"));
        var lora = PeftAdapter.Load(backbone.Module, Path.Combine(Golden, "lora", "adapter"));
        using var q0 = backbone.Module.named_parameters().Single(p => p.name == "model.layers.0.self_attn.q_proj.weight").parameter.detach().clone();

        lora.Merge();
        var (merged, _) = Run(backbone, "embeds", withHidden: false);
        using (merged)
        {
            using var want = expected.Read("embeds_logits");
            Assert.True(Close(merged, want, null, out var e), $"merged logits differ by {e}");
        }

        lora.Unmerge();
        var (unmerged, _) = Run(backbone, "embeds", withHidden: false);
        using (unmerged)
        {
            using var want = expected.Read("embeds_logits");
            Assert.True(Close(unmerged, want, null, out var e), $"unmerged (adapter active) logits differ by {e}");
        }

        using var q0After = backbone.Module.named_parameters().Single(p => p.name == "model.layers.0.self_attn.q_proj.weight").parameter;
        Assert.True(q0.allclose(q0After, rtol: 0, atol: 1e-6));

        lora.Unload();
        var (plain, _) = Run(backbone, "embeds", withHidden: false);
        using (plain)
        {
            using var want = baseExpected.Read("embeds_logits");
            Assert.True(Close(plain, want, null, out var e), $"base logits after unload differ by {e}");
        }
    }

    [Fact]
    public void MergeAndUnload_KeepsTheUpdateInThePlainModel()
    {
        using var backbone = LoadBase();
        backbone.Module.eval();
        var lora = PeftAdapter.Load(backbone.Module, Path.Combine(Golden, "lora", "adapter"));
        lora.MergeAndUnload();
        Assert.DoesNotContain(backbone.Module.named_parameters(), p => p.name.Contains("lora_", StringComparison.Ordinal));
        using var expected = SafetensorsFile.Open(Path.Combine(Golden, "lora", "expected", "tensors.safetensors"));
        var (logits, _) = Run(backbone, "embeds", withHidden: false);
        using (logits)
        {
            using var want = expected.Read("embeds_logits");
            Assert.True(Close(logits, want, null, out var e), $"merged-and-unloaded logits differ by {e}");
        }
    }

    private static (Tensor Logits, Tensor Hidden) Run(IBackbone backbone, string input, bool withHidden = true)
    {
        using var inputs = SafetensorsFile.Open(Path.Combine(Golden, "inputs", "tensors.safetensors"));
        using var noGrad = no_grad();
        BackboneInput request;
        if (input == "tokens")
        {
            request = new BackboneInput { InputIds = inputs.Read("input_ids"), AttentionMask = inputs.Read("attention_mask"), OutputLogits = true };
        }
        else
        {
            request = new BackboneInput { InputsEmbeds = inputs.Read("inputs_embeds"), OutputLogits = true };
        }

        using var output = backbone.Forward(request);
        request.InputIds?.Dispose();
        request.AttentionMask?.Dispose();
        request.InputsEmbeds?.Dispose();
        return (output.Logits!.clone(), withHidden ? output.LastHiddenState.clone() : zeros(1));
    }

    private static Tensor? Mask(string input, long length)
    {
        if (input != "tokens")
        {
            return null;
        }

        using var inputs = SafetensorsFile.Open(Path.Combine(Golden, "inputs", "tensors.safetensors"));
        using var mask = inputs.Read("attention_mask");
        return mask.narrow(1, 0, length).to_type(ScalarType.Bool);
    }

    private static bool Close(Tensor actual, Tensor expected, Tensor? mask, out double maxError)
    {
        using var diff = (actual - expected).abs();
        using var bound = expected.abs().mul(1e-4).add(1e-4);
        using var ok = diff.le(bound);
        if (mask is not null)
        {
            using var m = mask.unsqueeze(-1).expand_as(ok);
            using var anyMasked = ok.logical_or(m.logical_not());
            using var valid = diff.masked_fill(m.logical_not(), 0);
            maxError = valid.max().item<float>();
            return anyMasked.all().item<bool>();
        }

        maxError = diff.max().item<float>();
        return ok.all().item<bool>();
    }
}

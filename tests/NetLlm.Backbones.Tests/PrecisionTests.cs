using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Transformers.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>bf16 compute within a stated tolerance; bf16/fp16 checkpoints load and convert to float32 exactly.</summary>
public sealed class PrecisionTests(ITestOutputHelper output)
{
    /// <summary>
    /// bf16 tolerance: bf16 keeps 8 significant bits (relative step 2^-8 ≈ 0.4 %), and each of the two layers
    /// rounds weights, activations and residual sums, so errors of a few percent of the activation scale (|x| up to
    /// ~3.5 here) are expected: |a - e| &lt;= 0.15 + 0.05 |e|.
    /// </summary>
    private const double Bf16Atol = 0.15;
    private const double Bf16Rtol = 0.05;

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    [InlineData("opt")]
    [InlineData("mistral")]
    public void Bf16Compute_MatchesFloat32ReferenceWithinBf16Tolerance(string arch)
    {
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions { DType = "bfloat16" });
        Assert.Equal(ScalarType.BFloat16, backbone.ComputeDType);
        Assert.Equal("bfloat16", backbone.Info.DType);
        Assert.All(backbone.Module.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var result = backbone.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputLogits = true });
        Assert.Equal(ScalarType.BFloat16, result.LastHiddenState.dtype);
        Assert.Equal(ScalarType.Float32, result.Logits!.dtype);
        using var expected = fx.Expected("tokens_logits");
        var err = Tolerance.AssertClose(result.Logits, expected, mask, Bf16Atol, Bf16Rtol, $"{arch} bf16 logits");
        output.WriteLine($"{arch} bf16 logits max abs error {err:G3}");
        Assert.True(err > 1e-4, "bf16 compute should differ measurably from float32");
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void HalfPrecisionCheckpoint_LoadsIntoFloat32_ExactlyConverted(ScalarType stored)
    {
        using var fx = GoldenFixture.Open("llama");
        using var dir = new TempDirectory().Link(fx.ModelDirectory, "config.json");
        var converted = new Dictionary<string, Tensor>();
        using (var source = SafetensorsCheckpoint.Open(Path.Combine(fx.ModelDirectory, "model.safetensors")))
        {
            foreach (var name in source.Names)
            {
                using var t = source.Read(name);
                converted[name] = t.to_type(stored);
            }
        }

        SafetensorsWriter.Write(dir.File("model.safetensors"), converted, new Dictionary<string, string> { ["format"] = "pt" });
        using var backbone = Providers.For("llama").FromPretrained(dir.Path, new BackboneLoadOptions());
        var state = backbone.Module.state_dict();
        foreach (var (name, half) in converted)
        {
            using var widened = half.to_type(ScalarType.Float32);
            Assert.Equal(ScalarType.Float32, state[name].dtype);
            Assert.True(state[name].eq(widened).all().item<bool>(), $"{name} is not the exact float32 value of the {stored} weight");
            half.Dispose();
        }

        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var result = backbone.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputLogits = true });
        using var expected = fx.Expected("tokens_logits");
        var err = Tolerance.AssertClose(result.Logits!, expected, mask, Bf16Atol, Bf16Rtol, $"{stored} weights");
        Assert.True(err > 1e-6, "rounded weights should change the output");
    }
}

using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Testing;
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

    /// <summary>
    /// float16 keeps 11 significant bits (relative step 2^-11 ≈ 0.05 %): |a - e| &lt;= 0.02 + 0.01 |e|.
    /// </summary>
    private const double Fp16Atol = 0.02;
    private const double Fp16Rtol = 0.01;

    [Theory]
    [InlineData("llama", "bfloat16")]
    [InlineData("gpt2", "bfloat16")]
    [InlineData("opt", "bfloat16")]
    [InlineData("mistral", "bfloat16")]
    [InlineData("llama", "float16")]
    [InlineData("gpt2", "float16")]
    public void HalfCompute_MatchesFloat32ReferenceWithinTheStatedTolerance(string arch, string dtype)
    {
        var bf16 = dtype == "bfloat16";
        var expectedType = bf16 ? ScalarType.BFloat16 : ScalarType.Float16;
        using var fx = GoldenFixture.Open(arch);
        using var backbone = Providers.For(arch).FromPretrained(fx.ModelDirectory, new BackboneLoadOptions { DType = dtype });
        Assert.Equal(expectedType, backbone.ComputeDType);
        Assert.Equal(dtype, backbone.Info.DType);
        Assert.All(backbone.Module.parameters(), p => Assert.Equal(expectedType, p.dtype));
        using var ids = fx.Input("input_ids");
        using var mask = fx.Input("attention_mask");
        using var result = backbone.Forward(new BackboneInput { InputIds = ids, AttentionMask = mask, OutputLogits = true });
        Assert.Equal(expectedType, result.LastHiddenState.dtype);
        Assert.Equal(ScalarType.Float32, result.Logits!.dtype);
        using var expected = fx.Expected("tokens_logits");
        var err = Tolerance.AssertClose(result.Logits, expected, mask, bf16 ? Bf16Atol : Fp16Atol, bf16 ? Bf16Rtol : Fp16Rtol, $"{arch} {dtype} logits");
        output.WriteLine($"{arch} {dtype} logits max abs error {err:G3}");
        Assert.True(err > 1e-5, "half-precision compute should differ measurably from float32");
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

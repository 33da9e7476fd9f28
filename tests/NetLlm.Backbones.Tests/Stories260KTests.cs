using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Backbones.Llama.Llama2C;
using NetLlm.Testing;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// The llama2.c checkpoint shared/models/stories260K loads as a Llama backbone: its logits equal an independent
/// float64 re-implementation of llama2.c's forward pass (interleaved RoPE from the file's own tables, raw wq/wk),
/// which proves the wq/wk permutation into the Hugging Face rotate_half layout.
/// </summary>
public sealed class Stories260KTests(ITestOutputHelper output)
{
    private static string Folder => TestPaths.Fixture("models/stories260K");

    [Fact]
    public void Folder_LoadsAsLlama_WithTheDocumentedShapeAndParameterCount()
    {
        using var backbone = new LlamaProvider().FromPretrained(Folder, new BackboneLoadOptions());
        var info = backbone.Info;
        Assert.Equal(("llama", 5, 64, 8, 4, 172, 512, 512), (info.Family, info.NumLayers, info.HiddenSize, info.NumAttentionHeads, info.NumKeyValueHeads, info.IntermediateSize, info.VocabSize, info.MaxPositionEmbeddings));
        Assert.Equal(260_032, info.ParameterCount);
        Assert.DoesNotContain("lm_head.weight", backbone.Module.state_dict().Keys);
        using var norm = backbone.Module.state_dict()["model.layers.0.input_layernorm.weight"].alias();
        Assert.True(norm.std().item<float>() > 0.05f, "trained RMSNorm gains are not all 1.0");
    }

    [Fact]
    public void Logits_EqualTheLlama2CReferenceForward()
    {
        using var backbone = new LlamaProvider().FromPretrained(Folder, new BackboneLoadOptions());
        long[] tokens = [1, 403, 407, 261, 378, 434, 267, 430, 271, 416, 261, 2, 345, 13, 88, 500, 3, 301, 260, 299, 412, 36];
        using var ids = tensor(tokens).unsqueeze(0);
        using var result = backbone.Forward(new BackboneInput { InputIds = ids, OutputLogits = true });
        using var reference = Llama2CReference(Path.Combine(Folder, "stories260K.bin"), tokens);
        var err = Tolerance.AssertClose(result.Logits!.squeeze(0), reference, null, 1e-4, 1e-4, "stories260K logits");
        output.WriteLine($"stories260K logits vs llama2.c reference: max abs error {err:G3}");

        using var unpermuted = Llama2CReference(Path.Combine(Folder, "stories260K.bin"), tokens, interleaved: false);
        using var gap = (unpermuted - reference).abs().max();
        Assert.True(gap.item<double>() > 1e-2, "the reference must be sensitive to the RoPE layout");
    }

    [Fact]
    public void InterleavedToRotateHalf_MovesRealPartsFirstWithinEachHead()
    {
        using var w = arange(16, dtype: ScalarType.Float32).reshape(8, 2);
        using var p = Llama2CCheckpoint.InterleavedToRotateHalf(w, heads: 2);
        Assert.Equal(new float[] { 0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15 }, p.data<float>().ToArray());
    }

    [Fact]
    public void TruncatedFile_NamesExpectedAndActualSizes()
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "stories260K.bin"));
        File.WriteAllBytes(dir.File("m.bin"), bytes[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => LlamaProvider.FromLlama2C(dir.File("m.bin"), new BackboneLoadOptions()));
        Assert.Contains(dir.File("m.bin"), e.Message);
        Assert.Contains("1056540 bytes, the file has 1056536 (truncated)", e.Message);
    }

    /// <summary>llama2.c <c>run.c</c>'s forward pass in float64 on the raw file; logits <c>[T, vocab]</c>.</summary>
    private static Tensor Llama2CReference(string path, long[] tokens, bool interleaved = true)
    {
        using var scope = NewDisposeScope();
        var bytes = File.ReadAllBytes(path);
        var h = Enumerable.Range(0, 7).Select(i => BitConverter.ToInt32(bytes, i * 4)).ToArray();
        var (dim, hidden, layers, heads, kvHeads, vocab, seq) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
        var hs = dim / heads;
        var kvDim = kvHeads * hs;
        var offset = 28;
        Tensor Next(params long[] shape)
        {
            var n = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[n];
            Buffer.BlockCopy(bytes, offset, values, 0, n * 4);
            offset += n * 4;
            return tensor(values).reshape(shape).to_type(ScalarType.Float64);
        }

        var tok = Next(vocab, dim);
        var rmsAtt = Next(layers, dim);
        var wq = Next(layers, dim, dim);
        var wk = Next(layers, kvDim, dim);
        var wv = Next(layers, kvDim, dim);
        var wo = Next(layers, dim, dim);
        var rmsFfn = Next(layers, dim);
        var w1 = Next(layers, hidden, dim);
        var w2 = Next(layers, dim, hidden);
        var w3 = Next(layers, hidden, dim);
        var rmsFinal = Next(dim);
        var fcr = Next(seq, hs / 2);
        var fci = Next(seq, hs / 2);

        Tensor RmsNorm(Tensor x, Tensor w) => x * rsqrt(x.pow(2).mean([-1L], keepdim: true) + 1e-5) * w;
        var t = tokens.Length;
        var cos = fcr.narrow(0, 0, t).unsqueeze(1);
        var sin = fci.narrow(0, 0, t).unsqueeze(1);
        Tensor Rope(Tensor x, int nHeads)
        {
            if (!interleaved)
            {
                var half = x.view(t, nHeads, hs);
                var a = half.narrow(-1, 0, hs / 2);
                var b = half.narrow(-1, hs / 2, hs / 2);
                return cat([a * cos - b * sin, a * sin + b * cos], -1).reshape(t, nHeads * hs);
            }

            var pairs = x.view(t, nHeads, hs / 2, 2);
            var re = pairs.select(-1, 0);
            var im = pairs.select(-1, 1);
            return stack([re * cos - im * sin, re * sin + im * cos], -1).reshape(t, nHeads * hs);
        }

        var x = tok.index_select(0, tensor(tokens));
        var causal = ones(t, t, dtype: ScalarType.Bool).tril();
        for (var l = 0; l < layers; l++)
        {
            var xb = RmsNorm(x, rmsAtt[l]);
            var q = Rope(xb.matmul(wq[l].t()), heads).view(t, heads, hs).transpose(0, 1);
            var k = Rope(xb.matmul(wk[l].t()), kvHeads).view(t, kvHeads, hs).transpose(0, 1);
            var v = xb.matmul(wv[l].t()).view(t, kvHeads, hs).transpose(0, 1);
            k = k.repeat_interleave(heads / kvHeads, 0);
            v = v.repeat_interleave(heads / kvHeads, 0);
            var scores = q.matmul(k.transpose(1, 2)) / Math.Sqrt(hs);
            scores = scores.masked_fill(causal.logical_not(), double.NegativeInfinity).softmax(-1);
            var att = scores.matmul(v).transpose(0, 1).reshape(t, dim);
            x = x + att.matmul(wo[l].t());
            xb = RmsNorm(x, rmsFfn[l]);
            x = x + (nn.functional.silu(xb.matmul(w1[l].t())) * xb.matmul(w3[l].t())).matmul(w2[l].t());
        }

        return RmsNorm(x, rmsFinal).matmul(tok.t()).MoveToOuterDisposeScope();
    }
}

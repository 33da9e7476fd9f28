using NetLlm.Abstractions.Backbones;
using NetLlm.Backbones.Llama;
using NetLlm.Core.IO;
using NetLlm.Core.Lora;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Adaptation.Tests;

/// <summary>
/// Weights that used to give NaN outputs or a silently wrong model with exit 0 (issue 15): NaN or infinite values in a
/// checkpoint or an adapter, and adapter tensors stored as integers (they were cast: outputs off by 2.7).
/// </summary>
public sealed class NonFiniteWeightsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Golden => TestPaths.Fixture("golden/llama");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Float64)]
    public void NonFiniteCount_FindsEveryNaNAndInfinity_InLargeTensorsOfEveryFloatDType(ScalarType dtype)
    {
        // Large enough for vectorised, multi-threaded reductions; the bad values sit at the ends and in the middle.
        const int n = 1_000_003;
        using var clean = linspace(-3, 3, n).to_type(dtype);
        Assert.Equal(0, TensorValues.NonFiniteCount(clean));
        foreach (var (bad, at) in new[] { (float.NaN, 0), (float.NaN, n / 2), (float.PositiveInfinity, n - 1), (float.NegativeInfinity, 17) })
        {
            using var dirty = clean.clone();
            dirty[at] = tensor(bad).to_type(dtype);
            Assert.Equal(1, TensorValues.NonFiniteCount(dirty));
        }

        using var many = clean.clone();
        many[10] = tensor(float.NaN).to_type(dtype);
        many[20] = tensor(float.PositiveInfinity).to_type(dtype);
        many[30] = tensor(float.NegativeInfinity).to_type(dtype);
        Assert.Equal(3, TensorValues.NonFiniteCount(many));
        using var empty = zeros(0, dtype: dtype);
        Assert.Equal(0, TensorValues.NonFiniteCount(empty));
        using var integers = ones(5, dtype: ScalarType.Int64);
        Assert.Equal(0, TensorValues.NonFiniteCount(integers));
    }

    [Fact]
    public void Checkpoint_WithANaN_IsRefusedNamingTheTensor()
    {
        var model = Copy(Path.Combine(Golden, "model"), "model");
        File.Delete(Path.Combine(model, "pytorch_model.bin"));
        var name = Rewrite(Path.Combine(model, "model.safetensors"), (n, t) => n.EndsWith("q_proj.weight", StringComparison.Ordinal) ? WithValue(t, float.NaN) : t);

        var e = Assert.Throws<InvalidDataException>(() => new LlamaProvider().FromPretrained(model, new BackboneLoadOptions()));
        Assert.Contains($"tensor '{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 1 NaN or infinite value(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adapter_WithInfinityOrIntegerTensors_IsRefusedNamingTheTensor()
    {
        var infinite = Copy(Path.Combine(Golden, "lora", "adapter"), "infinite");
        var first = Rewrite(Path.Combine(infinite, PeftAdapter.WeightsFile), (n, t) => n.Contains("lora_B", StringComparison.Ordinal) ? WithValue(t, float.PositiveInfinity) : t);
        var integers = Copy(Path.Combine(Golden, "lora", "adapter"), "integers");
        var relabelled = Rewrite(Path.Combine(integers, PeftAdapter.WeightsFile), (n, t) => n.Contains("lora_A", StringComparison.Ordinal) ? t.to_type(ScalarType.Int32) : t);

        using (var backbone = new LlamaProvider().FromPretrained(Path.Combine(Golden, "model"), new BackboneLoadOptions()))
        {
            var e = Assert.Throws<InvalidDataException>(() => PeftAdapter.Load(backbone.Module, infinite));
            Assert.Equal($"{Path.Combine(infinite, PeftAdapter.WeightsFile)}: tensor '{first}' holds 1 NaN or infinite value(s)", e.Message);
        }

        using (var backbone = new LlamaProvider().FromPretrained(Path.Combine(Golden, "model"), new BackboneLoadOptions()))
        {
            var e = Assert.Throws<InvalidDataException>(() => PeftAdapter.Load(backbone.Module, integers));
            Assert.StartsWith($"{Path.Combine(integers, PeftAdapter.WeightsFile)}: tensor '{relabelled}' is stored as Int32; adapter weights must be floating point", e.Message, StringComparison.Ordinal);
        }
    }

    private static Tensor WithValue(Tensor t, float value)
    {
        var copy = t.clone();
        copy.view(-1)[0] = value;
        return copy;
    }

    private string Copy(string from, string name)
    {
        var to = _dir.File(name);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        return to;
    }

    /// <summary>Rewrites a safetensors file through <paramref name="change"/>; returns the first (ordinal) tensor it changed.</summary>
    private static string Rewrite(string path, Func<string, Tensor, Tensor> change)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Dictionary<string, string> metadata;
        string? changed = null;
        using (var file = SafetensorsFile.Open(path))
        {
            metadata = file.Metadata.ToDictionary(p => p.Key, p => p.Value);
            foreach (var name in file.Entries.Keys.Order(StringComparer.Ordinal))
            {
                var original = file.Read(name);
                var result = changed is null ? change(name, original) : original;
                if (!ReferenceEquals(result, original))
                {
                    changed = name;
                    original.Dispose();
                }

                tensors[name] = result;
            }
        }

        SafetensorsWriter.Write(path, tensors, metadata);
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        return changed ?? throw new InvalidOperationException($"{path}: no tensor was changed");
    }
}

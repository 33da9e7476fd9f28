using System.Security.Cryptography;
using NetLlm.Abstractions.Backbones;
using NetLlm.Core.IO;
using NetLlm.Core.Modules;
using NetLlm.Testing;
using NetLlm.Transformers.Checkpoints;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// Issue 19: a checkpoint's tensors of the compute dtype become copy-on-write views of a memory mapping of the file
/// (no copy, no initialisation pass), equal to what the copying loader reads, and writes never reach the file.
/// </summary>
public sealed class MappedLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-mapped-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    [InlineData("gpt2")]
    [InlineData("opt")]
    public void GoldenCheckpoint_MappedEqualsCopied_AndEveryTensorIsAViewOfTheFile(string arch)
    {
        var folder = TestPaths.Fixture($"golden/{arch}/model");
        var path = Path.Combine(folder, CheckpointFiles.Safetensors);
        using var mapped = Providers.For(arch).FromPretrained(folder, new BackboneLoadOptions { MapWeights = true });
        using var copied = Providers.For(arch).FromPretrained(folder, new BackboneLoadOptions { MapWeights = false });
        var mappedState = mapped.Module.state_dict();
        var copiedState = copied.Module.state_dict();
        Assert.Equal(copiedState.Keys.Order(), mappedState.Keys.Order());

        // Where the file's data section starts: the storage offset of a mapped tensor is its byte position / element size.
        using var file = SafetensorsFile.Open(path);
        var dataStart = 8 + BitConverter.ToInt64(File.ReadAllBytes(path).AsSpan(0, 8));
        var views = 0;
        foreach (var (name, value) in mappedState)
        {
            Assert.True(copiedState[name].allclose(value, rtol: 0, atol: 0), $"{arch}: '{name}' mapped differs from copied");
            Assert.Equal(0, copiedState[name].storage_offset());
            var stored = file.Entries.Values.FirstOrDefault(e => e.Shape.SequenceEqual(value.shape) && e.DType == value.dtype && (dataStart + e.Begin) / TensorDType.ElementSize(e.DType) == value.storage_offset());
            if (stored is not null && value.storage_offset() > 0)
            {
                views++;
            }
        }

        // Every tensor but the first in the file sits at a non-zero offset of the one mapping (the first at the data start, also > 0).
        Assert.Equal(mappedState.Count, views);
    }

    [Fact]
    public void MappedWeights_AreCopyOnWrite_TheFileNeverChanges()
    {
        var source = TestPaths.Fixture("golden/llama/model");
        var folder = Path.Combine(_dir, "llama");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(source))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }

        var weights = Path.Combine(folder, CheckpointFiles.Safetensors);
        var before = SHA256.HashData(File.ReadAllBytes(weights));
        string name;
        using (var backbone = Providers.For("llama").FromPretrained(folder, new BackboneLoadOptions()))
        {
            var (first, parameter) = backbone.Module.named_parameters().First(p => p.parameter.dim() == 2);
            name = first;
            using var original = parameter.clone();
            using (no_grad())
            {
                parameter.add_(1.0);
            }

            using var expected = original.add(1.0);
            Assert.True(parameter.allclose(expected, rtol: 0, atol: 0));
            using var again = Providers.For("llama").FromPretrained(folder, new BackboneLoadOptions());
            var reloaded = again.Module.named_parameters().Single(p => p.name == name).parameter;
            Assert.True(reloaded.allclose(original, rtol: 0, atol: 0), $"'{name}': the write reached another mapping of the file");
        }

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(weights)));
    }

    [Fact]
    public void MisalignedTensor_IsReadInstead_AndAlignedOnesAreMapped()
    {
        // A 3-element bfloat16 tensor first puts the float32 tensor after it 2 bytes off a 4-byte boundary.
        var path = Path.Combine(_dir, "mixed.safetensors");
        using (var odd = tensor(new float[] { 1, 2, 3 }).to_type(ScalarType.BFloat16))
        using (var floats = tensor(new float[] { 4.5f, -6.25f }))
        {
            SafetensorsWriter.Write(path, [new("a_odd", odd), new("b_floats", floats)]);
        }

        using var file = SafetensorsFile.Open(path);
        using var target = empty(2);
        Assert.False(file.MapInto("b_floats", target));
        Assert.True(file.ReadInto("b_floats", target));
        Assert.Equal(new[] { 4.5f, -6.25f }, target.data<float>().ToArray());
        using var bf = empty([3], dtype: ScalarType.BFloat16);
        Assert.True(file.MapInto("a_odd", bf));
        using var asFloat = bf.to_type(ScalarType.Float32);
        Assert.Equal(new[] { 1f, 2f, 3f }, asFloat.data<float>().ToArray());
        using var wrongShape = empty(3);
        Assert.False(file.MapInto("b_floats", wrongShape));
    }

    [Fact]
    public void SkipInitialization_LeavesParametersUnwrittenOnlyInsideTheScope()
    {
        using (var zeroed = new AdaptableLinear(4, 3))
        {
            Assert.Equal(0, zeroed.Weight.abs().sum().item<float>());
            Assert.Equal(0, zeroed.Bias!.abs().sum().item<float>());
        }

        Assert.False(ParameterAllocation.IsSkippingInitialization);
        using (ParameterAllocation.SkipInitialization())
        {
            Assert.True(ParameterAllocation.IsSkippingInitialization);
            using (ParameterAllocation.SkipInitialization())
            {
                Assert.True(ParameterAllocation.IsSkippingInitialization);
            }

            Assert.True(ParameterAllocation.IsSkippingInitialization);
        }

        Assert.False(ParameterAllocation.IsSkippingInitialization);
        using var again = new AdaptableLinear(4, 3);
        Assert.Equal(0, again.Weight.abs().sum().item<float>());
    }
}

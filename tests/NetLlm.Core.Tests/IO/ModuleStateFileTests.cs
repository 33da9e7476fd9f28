using NetLlm.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.Tests.IO;

/// <summary>Loading a task model's weights by name, strictly.</summary>
public sealed class ModuleStateFileTests
{
    [Fact]
    public void CopiesUnderCompilerGeneratedNames_WrittenByEarlierBuilds_AreSkipped_OtherExtrasAreNot()
    {
        var dir = Directory.CreateTempSubdirectory("netllm-state-").FullName;
        using var saved = nn.Linear(3, 2);
        using var weight = saved.weight!.detach().clone();
        using var bias = saved.bias!.detach().clone();
        var file = Path.Combine(dir, "model.safetensors");

        // What builds before contract 2.0 wrote: every tensor once more under "<Task>k__BackingField.".
        SafetensorsWriter.Write(file, [new("weight", weight), new("bias", bias), new("<Task>k__BackingField.weight", weight), new("<Task>k__BackingField.bias", bias)]);
        using var loaded = nn.Linear(3, 2);
        ModuleStateFile.Load(loaded, file);
        Assert.True(loaded.weight!.allclose(weight, rtol: 0, atol: 0));
        Assert.True(loaded.bias!.allclose(bias, rtol: 0, atol: 0));

        SafetensorsWriter.Write(file, [new("weight", weight), new("bias", bias), new("extra.weight", weight)]);
        var e = Assert.Throws<InvalidDataException>(() => ModuleStateFile.Load(loaded, file));
        Assert.Contains("Unexpected (1): extra.weight", e.Message, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }
}

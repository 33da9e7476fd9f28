using System.Text.Json.Nodes;
using NetLlm.Core.IO;
using NetLlm.Testing;
using NetLlm.Transformers.Checkpoints;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>
/// A temporary model folder built from a golden fixture whose config and tensors a test may alter before writing
/// (nothing is written into the repository).
/// </summary>
internal sealed class FixtureCopy : IDisposable
{
    private readonly TempDirectory _dir = new();

    public FixtureCopy(string arch)
    {
        Fixture = GoldenFixture.Open(arch);
        Config = JsonNode.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(Fixture.ModelDirectory, "config.json")))!.AsObject();
        using var source = SafetensorsCheckpoint.Open(System.IO.Path.Combine(Fixture.ModelDirectory, "model.safetensors"));
        foreach (var name in source.Names)
        {
            Tensors[name] = source.Read(name);
        }
    }

    public GoldenFixture Fixture { get; }

    public JsonObject Config { get; }

    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    public string Path => _dir.Path;

    public string WeightsFile => _dir.File(CheckpointFiles.Safetensors);

    public string File(string name) => _dir.File(name);

    /// <summary>Writes config.json and model.safetensors; returns the folder.</summary>
    public string Write()
    {
        System.IO.File.WriteAllText(_dir.File("config.json"), Config.ToJsonString());
        SafetensorsWriter.Write(WeightsFile, Tensors, new Dictionary<string, string> { ["format"] = "pt" });
        return Path;
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values)
        {
            t.Dispose();
        }

        Fixture.Dispose();
        _dir.Dispose();
    }
}

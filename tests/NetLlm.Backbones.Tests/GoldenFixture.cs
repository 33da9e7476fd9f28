using NetLlm.Core.IO;
using NetLlm.Testing;
using static TorchSharp.torch;

namespace NetLlm.Backbones.Tests;

/// <summary>One golden fixture folder (tests/fixtures/golden/&lt;arch&gt;, else shared/fixtures/golden/&lt;arch&gt;): model, inputs and expected outputs.</summary>
internal sealed class GoldenFixture : IDisposable
{
    private readonly SafetensorsFile _expected;
    private readonly SafetensorsFile _inputs;

    private GoldenFixture(string dir, string expectedDir)
    {
        Directory = dir;
        _inputs = SafetensorsFile.Open(Path.Combine(dir, "inputs", "tensors.safetensors"));
        _expected = SafetensorsFile.Open(Path.Combine(expectedDir, "tensors.safetensors"));
    }

    public string Directory { get; }

    public string ModelDirectory => Path.Combine(Directory, "model");

    public static GoldenFixture Open(string arch, string? expectedSubdir = null)
    {
        var dir = TestPaths.Fixture($"golden/{arch}");
        return new GoldenFixture(dir, Path.Combine(dir, expectedSubdir ?? "expected"));
    }

    public Tensor Input(string name) => _inputs.Read(name);

    public Tensor Expected(string name) => _expected.Read(name);

    public void Dispose()
    {
        _inputs.Dispose();
        _expected.Dispose();
    }
}

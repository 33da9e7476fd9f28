using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// One <c>.safetensors</c> file, validated by <see cref="SafetensorsFile"/> when opened (truncation, overlapping or
/// out-of-range offsets and unsupported dtypes are rejected naming the file and the tensor).
/// </summary>
public sealed class SafetensorsCheckpoint : ICheckpointReader
{
    private readonly SafetensorsFile _file;

    private SafetensorsCheckpoint(SafetensorsFile file)
    {
        _file = file;
        Names = file.Entries.Values.OrderBy(e => e.Begin).Select(e => e.Name).ToList();
    }

    /// <inheritdoc />
    public string Source => _file.Path;

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    public static SafetensorsCheckpoint Open(string path) => new(SafetensorsFile.Open(path));

    /// <inheritdoc />
    public CheckpointTensorInfo Describe(string name)
    {
        var e = _file.Get(name);
        return new CheckpointTensorInfo(name, e.DType, e.Shape, _file.Path);
    }

    /// <inheritdoc />
    public Tensor Read(string name) => _file.Read(name);

    /// <inheritdoc />
    public bool TryReadInto(string name, Tensor target) => _file.ReadInto(name, target);

    /// <inheritdoc />
    public bool TryMapInto(string name, Tensor target) => _file.MapInto(name, target);

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}

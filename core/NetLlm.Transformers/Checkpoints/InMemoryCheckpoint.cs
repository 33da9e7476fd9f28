using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// A checkpoint held in memory (converted from another format, such as llama2.c, or built by a test). Takes
/// ownership of the tensors and disposes them with itself.
/// </summary>
public sealed class InMemoryCheckpoint : ICheckpointReader
{
    private readonly Dictionary<string, Tensor> _tensors;

    /// <summary>Wraps <paramref name="tensors"/>, taking ownership.</summary>
    /// <param name="source">Where the tensors came from, for error messages.</param>
    /// <param name="tensors">Tensors by name.</param>
    public InMemoryCheckpoint(string source, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        Source = source;
        _tensors = new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal);
        Names = [.. _tensors.Keys];
    }

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public CheckpointTensorInfo Describe(string name) => new(name, Get(name).dtype, Get(name).shape, Source);

    /// <inheritdoc />
    public Tensor Read(string name) => Get(name).alias();

    private Tensor Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{Source}: no tensor named '{name}'");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
    }
}

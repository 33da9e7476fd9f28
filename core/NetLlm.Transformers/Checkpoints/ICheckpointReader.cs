using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// A model checkpoint opened for reading: tensor names, their stored dtypes and shapes, and the data on demand.
/// The reader owns its open files and releases them on <see cref="IDisposable.Dispose"/>.
/// </summary>
public interface ICheckpointReader : IDisposable
{
    /// <summary>What was opened (the file, or the index file of a sharded checkpoint).</summary>
    string Source { get; }

    /// <summary>Every tensor name, in a stable order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>Dtype, shape and file of <paramref name="name"/>.</summary>
    /// <param name="name">Tensor name.</param>
    CheckpointTensorInfo Describe(string name);

    /// <summary>
    /// Reads <paramref name="name"/> into a new CPU tensor in its stored dtype (caller owns).
    /// </summary>
    /// <param name="name">Tensor name.</param>
    Tensor Read(string name);

    /// <summary>
    /// Reads tensor <paramref name="name"/> straight into <paramref name="target"/> when the format allows it (same dtype
    /// and shape, contiguous CPU target); false when the caller must <see cref="Read"/> and copy instead.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="target">The tensor to fill.</param>
    bool TryReadInto(string name, Tensor target) => false;

    /// <summary>
    /// Makes <paramref name="target"/> a copy-on-write view of tensor <paramref name="name"/> in a memory mapping of the
    /// file when the format allows it (same dtype and shape, CPU target, aligned data); false when the caller must read.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="target">The tensor whose storage is replaced.</param>
    bool TryMapInto(string name, Tensor target) => false;
}

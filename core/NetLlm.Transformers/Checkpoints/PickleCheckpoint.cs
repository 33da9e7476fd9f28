using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// A <c>torch.save</c> state dict (zip format, e.g. <c>pytorch_model.bin</c>) read with TorchSharp.PyBridge, whose
/// unpickler only rebuilds tensors and ordered dicts and executes no code. Still a pickle: loaders accept it only when
/// the user opts in. The whole file is read when opened; the reader owns the tensors until disposed.
/// </summary>
public sealed class PickleCheckpoint : ICheckpointReader
{
    private readonly Dictionary<string, Tensor> _tensors;

    private PickleCheckpoint(string path, Dictionary<string, Tensor> tensors)
    {
        Source = path;
        _tensors = tensors;
        Names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>Reads the state dict in <paramref name="path"/>.</summary>
    /// <param name="path">A <c>torch.save</c> zip file.</param>
    public static PickleCheckpoint Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: checkpoint file not found", path);
        }

        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: cannot read as a torch.save state dict ({e.GetType().Name}: {e.Message})", e);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor t)
            {
                foreach (var owned in tensors.Values)
                {
                    owned.Dispose();
                }

                throw new InvalidDataException($"{path}: entry '{entry.Key}' is not a tensor; only state dicts of tensors are read");
            }

            tensors[name] = t;
        }

        return new PickleCheckpoint(path, tensors);
    }

    /// <inheritdoc />
    public CheckpointTensorInfo Describe(string name)
    {
        var t = Get(name);
        return new CheckpointTensorInfo(name, t.dtype, t.shape, Source);
    }

    /// <inheritdoc />
    public Tensor Read(string name) => Get(name).clone();

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

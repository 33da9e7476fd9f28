namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// Finds and opens the weights of a Hugging Face model folder, in the order <c>save_pretrained</c> writes them:
/// <c>model.safetensors</c>, <c>model.safetensors.index.json</c> (sharded), then — only when pickle files are
/// allowed — <c>pytorch_model.bin</c> and <c>pytorch_model.bin.index.json</c>.
/// </summary>
public static class CheckpointFiles
{
    /// <summary>Single-file safetensors name.</summary>
    public const string Safetensors = "model.safetensors";

    /// <summary>Sharded safetensors index name.</summary>
    public const string SafetensorsIndex = "model.safetensors.index.json";

    /// <summary>Single-file pickle name.</summary>
    public const string Pickle = "pytorch_model.bin";

    /// <summary>Sharded pickle index name.</summary>
    public const string PickleIndex = "pytorch_model.bin.index.json";

    /// <summary>True when <paramref name="directory"/> holds Hugging Face weights in a form <see cref="Open"/> reads.</summary>
    /// <param name="directory">Model folder.</param>
    public static bool Exist(string directory) =>
        new[] { Safetensors, SafetensorsIndex, Pickle, PickleIndex }.Any(f => File.Exists(Path.Combine(directory, f)));

    /// <summary>
    /// Opens the checkpoint of <paramref name="directory"/>. Throws <see cref="FileNotFoundException"/> listing the
    /// names looked for, or <see cref="InvalidDataException"/> when only a pickle exists and
    /// <paramref name="allowPickle"/> is false. The caller owns the reader.
    /// </summary>
    /// <param name="directory">Model folder.</param>
    /// <param name="allowPickle">Accept <c>pytorch_model.bin</c> files.</param>
    public static ICheckpointReader Open(string directory, bool allowPickle)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: model folder not found");
        }

        var single = Path.Combine(directory, Safetensors);
        if (File.Exists(single))
        {
            return SafetensorsCheckpoint.Open(single);
        }

        var index = Path.Combine(directory, SafetensorsIndex);
        if (File.Exists(index))
        {
            return ShardedCheckpoint.Open(index, SafetensorsCheckpoint.Open);
        }

        var pickle = Path.Combine(directory, Pickle);
        var pickleIndex = Path.Combine(directory, PickleIndex);
        if (File.Exists(pickle) || File.Exists(pickleIndex))
        {
            if (!allowPickle)
            {
                throw new InvalidDataException(
                    $"{directory}: holds only a pickle checkpoint ({(File.Exists(pickle) ? Pickle : PickleIndex)}); pickle files are loaded only on request (BackboneLoadOptions.AllowPickle / --allow-pickle), or convert it to {Safetensors}");
            }

            return File.Exists(pickle) ? PickleCheckpoint.Open(pickle) : ShardedCheckpoint.Open(pickleIndex, PickleCheckpoint.Open);
        }

        throw new FileNotFoundException($"{directory}: no weights found (looked for {Safetensors}, {SafetensorsIndex}, {Pickle}, {PickleIndex})");
    }
}

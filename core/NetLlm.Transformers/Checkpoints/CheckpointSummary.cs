using NetLlm.Core.IO;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>
/// What a checkpoint's headers say about its weights — tensors and bytes per stored dtype, files — read without
/// touching tensor data (<c>netllm backbone info</c> reports it instead of trusting config.json's <c>torch_dtype</c>).
/// </summary>
/// <param name="Tensors">Number of tensors.</param>
/// <param name="Bytes">Bytes of tensor data over every file.</param>
/// <param name="BytesByDType">Bytes of tensor data per stored dtype (Hugging Face names: bfloat16, float32, ...).</param>
/// <param name="Files">The files holding the tensors, in name order.</param>
public sealed record CheckpointSummary(int Tensors, long Bytes, IReadOnlyDictionary<string, long> BytesByDType, IReadOnlyList<string> Files)
{
    /// <summary>The stored dtype when every tensor has the same one, else <c>mixed</c>.</summary>
    public string DType => BytesByDType.Count == 1 ? BytesByDType.Keys.First() : "mixed";

    /// <summary>Summarises an open checkpoint from its headers.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    public static CheckpointSummary Of(ICheckpointReader checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var byDType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var name in checkpoint.Names)
        {
            var info = checkpoint.Describe(name);
            var bytes = info.Shape.Aggregate(1L, (a, d) => checked(a * d)) * TensorDType.ElementSize(info.DType);
            var key = TensorDType.Name(info.DType);
            byDType[key] = byDType.GetValueOrDefault(key) + bytes;
            files.Add(Path.GetFileName(info.File));
            total += bytes;
        }

        return new CheckpointSummary(checkpoint.Names.Count, total, byDType, files.ToList());
    }
}

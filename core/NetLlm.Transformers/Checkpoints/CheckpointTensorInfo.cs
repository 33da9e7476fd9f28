using static TorchSharp.torch;

namespace NetLlm.Transformers.Checkpoints;

/// <summary>What a checkpoint says about one tensor, before reading it.</summary>
/// <param name="Name">Name in the checkpoint.</param>
/// <param name="DType">Stored dtype.</param>
/// <param name="Shape">Stored shape.</param>
/// <param name="File">File that holds it.</param>
public sealed record CheckpointTensorInfo(string Name, ScalarType DType, long[] Shape, string File)
{
    /// <summary>Shape as text, for example <c>[64, 32]</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape as <c>[a, b]</c>.</summary>
    /// <param name="shape">Shape.</param>
    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}

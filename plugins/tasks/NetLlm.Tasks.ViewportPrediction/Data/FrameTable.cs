using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Tasks.ViewportPrediction.Data;

/// <summary>
/// One video's per-frame table of a safetensors file <c>video{V}.safetensors</c>: tensor <c>name</c> with one row per
/// frame (<c>[frames, dim]</c> features or <c>[frames, channels, height, width]</c> pixels, any float dtype or uint8,
/// which is scaled to [0, 1] as torchvision's <c>ToTensor</c> does) and optional integer <c>frame_numbers</c>
/// <c>[frames]</c>: the 1-based frame of each row. Without it row <c>i</c> is frame <c>i + 1</c>. Errors name the file.
/// </summary>
internal sealed class FrameTable
{
    /// <summary>Name of the optional tensor of 1-based frame numbers.</summary>
    public const string FrameNumbersName = "frame_numbers";

    private readonly float[] _values;
    private readonly Dictionary<int, int>? _rows;
    private readonly int _rowLength;

    private FrameTable(string path, float[] values, long[] shape, Dictionary<int, int>? rows)
    {
        Path = path;
        _values = values;
        _rows = rows;
        Frames = checked((int)shape[0]);
        ItemShape = shape.Skip(1).Select(s => checked((int)s)).ToArray();
        _rowLength = ItemShape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Rows in the file.</summary>
    public int Frames { get; }

    /// <summary>Shape of one row.</summary>
    public IReadOnlyList<int> ItemShape { get; }

    /// <summary>Which frames the file holds, for messages.</summary>
    public string Holds => _rows is null ? $"frames 1-{Frames}" : $"{Frames} frames listed in '{FrameNumbersName}'";

    /// <summary>Reads tensor <paramref name="name"/> of rank <paramref name="rank"/> from <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">Tensor name.</param>
    /// <param name="rank">Expected rank including the frame dimension.</param>
    /// <param name="layout">The expected layout, for messages.</param>
    public static FrameTable Read(string path, string name, int rank, string layout)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: not found (expected one video{{V}}.safetensors per video)");
        }

        using var file = SafetensorsFile.Open(path);
        if (!file.Entries.TryGetValue(name, out var entry))
        {
            throw new InvalidDataException($"{path}: no tensor '{name}' (found {string.Join(", ", file.Entries.Keys)})");
        }

        if (entry.Shape.Length != rank || entry.Shape.Any(s => s < 1))
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has shape {entry.ShapeText}, expected {layout}");
        }

        float[] values;
        using (var scope = NewDisposeScope())
        {
            var tensor = file.Read(name);
            var floats = tensor.dtype switch
            {
                ScalarType.Byte => tensor.to_type(ScalarType.Float32).div(255f),
                ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16 => tensor.to_type(ScalarType.Float32),
                _ => throw new InvalidDataException($"{path}: tensor '{name}' is {tensor.dtype}; expected uint8 or a float type"),
            };
            values = floats.contiguous().data<float>().ToArray();
        }

        return new FrameTable(path, values, entry.Shape, FrameNumbers(file, entry.Shape[0]));
    }

    /// <summary>The row of 1-based frame <paramref name="frame"/>, or null when the file does not hold it.</summary>
    /// <param name="frame">Frame number.</param>
    public float[]? Row(int frame)
    {
        int row;
        if (_rows is null)
        {
            row = frame - 1;
        }
        else if (!_rows.TryGetValue(frame, out row))
        {
            return null;
        }

        return row < 0 || row >= Frames ? null : _values.AsSpan(row * _rowLength, _rowLength).ToArray();
    }

    private static Dictionary<int, int>? FrameNumbers(SafetensorsFile file, long frames)
    {
        if (!file.Entries.TryGetValue(FrameNumbersName, out var entry))
        {
            return null;
        }

        if (entry.Shape.Length != 1 || entry.Shape[0] != frames || entry.DType is not (ScalarType.Int32 or ScalarType.Int64))
        {
            throw new InvalidDataException($"{file.Path}: tensor '{FrameNumbersName}' must be int32 or int64 [{frames}] (one 1-based frame per row), found {entry.DType} {entry.ShapeText}");
        }

        using var numbers = file.Read(FrameNumbersName, ScalarType.Int64);
        var rows = new Dictionary<int, int>();
        var values = numbers.data<long>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 1 || values[i] > int.MaxValue || !rows.TryAdd((int)values[i], i))
            {
                throw new InvalidDataException($"{file.Path}: '{FrameNumbersName}' row {i} holds {values[i]}; frame numbers are distinct and at least 1");
            }
        }

        return rows;
    }
}

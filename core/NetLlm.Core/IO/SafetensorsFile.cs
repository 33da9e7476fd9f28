using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>
/// A safetensors file opened for reading. The header is parsed and validated when the file is opened: a file that
/// is truncated, whose header is not JSON, or whose offsets overlap, leave gaps or exceed the file is rejected with
/// an <see cref="InvalidDataException"/> naming the file and the tensor. Tensors are read on demand.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly FileStream _stream;
    private readonly long _dataStart;
    private readonly Dictionary<ScalarType, Tensor> _mappings = [];

    private SafetensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, SafetensorsEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _stream = stream;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Path of the file.</summary>
    public string Path { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <param name="path">File path.</param>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: safetensors file not found", path);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var length = stream.Length;
            if (length < 8)
            {
                throw new InvalidDataException($"{path}: truncated safetensors file ({length} bytes; the 8-byte header length is missing)");
            }

            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)MaxHeaderBytes || (long)headerLength > length - 8)
            {
                throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file ({length} bytes); the file is truncated or not safetensors");
            }

            var header = new byte[headerLength];
            stream.ReadExactly(header);
            var dataStart = 8 + (long)headerLength;
            var dataLength = length - dataStart;
            var (entries, metadata) = ParseHeader(path, header, dataLength);
            return new SafetensorsFile(path, stream, dataStart, entries, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid UTF-8; the file is damaged or not safetensors");
        }

        JsonDocument doc;
        try
        {
            // A repeated tensor name would silently replace the first entry: refuse duplicate keys.
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: the safetensors header is not a JSON object");
            }

            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var m in prop.Value.EnumerateObject())
                        {
                            metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                        }
                    }

                    continue;
                }

                entries[prop.Name] = ParseEntry(path, prop.Name, prop.Value, dataLength);
            }

            CheckLayout(path, entries.Values, dataLength);
            return (entries, metadata);
        }
    }

    private static SafetensorsEntry ParseEntry(string path, string name, JsonElement e, long dataLength)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{Where()}: header entry needs 'dtype', 'shape' and two 'data_offsets'");
        }

        var code = dtypeEl.GetString()!;
        var dtype = TensorDType.FromSafetensors(code)
            ?? throw new InvalidDataException($"{Where()}: unsupported dtype '{code}' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        var shape = new long[shapeEl.GetArrayLength()];
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
            {
                throw new InvalidDataException($"{Where()}: invalid shape {shapeEl.GetRawText()}");
            }

            shape[i++] = dim;
        }

        if (offEl[0].ValueKind != JsonValueKind.Number || offEl[1].ValueKind != JsonValueKind.Number
            || !offEl[0].TryGetInt64(out var begin) || !offEl[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            throw new InvalidDataException($"{Where()}: invalid data_offsets {offEl.GetRawText()}");
        }

        if (end > dataLength)
        {
            throw new InvalidDataException($"{Where()}: data_offsets [{begin}, {end}] exceed the data section ({dataLength} bytes); the file is truncated");
        }

        var entry = new SafetensorsEntry(name, dtype, shape, begin, end);
        var expected = entry.ElementCount * TensorDType.ElementSize(dtype);
        if (expected != end - begin)
        {
            throw new InvalidDataException($"{Where()}: {code} {entry.ShapeText} needs {expected} bytes but data_offsets span {end - begin}");
        }

        return entry;
    }

    private static void CheckLayout(string path, IEnumerable<SafetensorsEntry> entries, long dataLength)
    {
        long cursor = 0;
        SafetensorsEntry? previous = null;
        foreach (var e in entries.OrderBy(x => x.Begin).ThenBy(x => x.End))
        {
            if (e.Begin < cursor)
            {
                throw new InvalidDataException($"{path}: tensor '{e.Name}' [{e.Begin}, {e.End}] overlaps tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            }

            if (e.Begin > cursor)
            {
                throw new InvalidDataException($"{path}: {e.Begin - cursor} unused bytes before tensor '{e.Name}' at offset {cursor}; the header does not describe the data");
            }

            cursor = e.End;
            previous = e;
        }

        if (cursor != dataLength)
        {
            throw new InvalidDataException($"{path}: the header describes {cursor} bytes of data but the file holds {dataLength}");
        }
    }

    /// <summary>Reads the raw little-endian bytes of tensor <paramref name="name"/>.</summary>
    /// <param name="name">Tensor name.</param>
    public byte[] ReadBytes(string name)
    {
        var e = Get(name);
        var bytes = new byte[e.End - e.Begin];
        lock (_stream)
        {
            _stream.Seek(_dataStart + e.Begin, SeekOrigin.Begin);
            _stream.ReadExactly(bytes);
        }

        return bytes;
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> straight into <paramref name="target"/>'s storage — no managed buffer, no
    /// temporary tensor — when the target is a contiguous CPU tensor of the stored dtype and shape; returns false
    /// (and reads nothing) otherwise, so the caller falls back to <see cref="Read"/> and a converting copy.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="target">The tensor to fill (a parameter being loaded).</param>
    public bool ReadInto(string name, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var e = Get(name);
        if (target.dtype != e.DType || target.device_type != DeviceType.CPU || !target.is_contiguous() || !target.shape.SequenceEqual(e.Shape))
        {
            return false;
        }

        if (e.End == e.Begin)
        {
            return true;
        }

        lock (_stream)
        {
            _stream.Seek(_dataStart + e.Begin, SeekOrigin.Begin);
            target.ReadBytesFromStream(_stream);
            if (_stream.Position != _dataStart + e.End)
            {
                throw new InvalidDataException($"{Path}: tensor '{name}' ended at byte {_stream.Position - _dataStart} of the data section, not at {e.End}; the file changed while it was read");
            }
        }

        return true;
    }

    /// <summary>
    /// Makes <paramref name="target"/> a view of tensor <paramref name="name"/> in a copy-on-write memory mapping of the
    /// file (as Hugging Face loads safetensors): nothing is copied, pages are read from the page cache when first touched
    /// and shared with it, and writes to the parameter stay private to the process (the file never changes). The mapping
    /// lives as long as any tensor uses it. Returns false (and changes nothing) unless the target is a CPU tensor of the
    /// stored dtype and shape and the tensor's data is aligned to its element size in the file; the caller then reads.
    /// The file must not be truncated or rewritten in place while the model is in use.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="target">The tensor whose storage is replaced (a parameter being loaded).</param>
    public bool MapInto(string name, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var e = Get(name);
        var size = TensorDType.ElementSize(e.DType);
        var start = _dataStart + e.Begin;
        if (target.dtype != e.DType || target.device_type != DeviceType.CPU || !target.shape.SequenceEqual(e.Shape)
            || e.End == e.Begin || start % size != 0)
        {
            return false;
        }

        using var scope = NewDisposeScope();
        var view = Mapping(e.DType).narrow(0, start / size, e.ElementCount).view(e.Shape);
        using (no_grad())
        {
            target.set_(view);
        }

        return true;
    }

    private Tensor Mapping(ScalarType dtype)
    {
        lock (_mappings)
        {
            if (!_mappings.TryGetValue(dtype, out var mapping))
            {
                // One read-only, private (copy-on-write) mapping of the whole file per element type; libtorch's MapAllocator.
                mapping = from_file(Path, shared: false, size: _stream.Length / TensorDType.ElementSize(dtype), dtype: dtype);
                mapping.DetachFromDisposeScope();
                _mappings[dtype] = mapping;
            }

            return mapping;
        }
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> into a new tensor owned by the caller, converted to
    /// <paramref name="dtype"/> and moved to <paramref name="device"/> when given.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dtype">Target dtype, or null to keep the stored one.</param>
    /// <param name="device">Target device, or null for CPU.</param>
    public Tensor Read(string name, ScalarType? dtype = null, Device? device = null)
    {
        var e = Get(name);
        var bytes = ReadBytes(name);
        var t = empty(e.Shape, dtype: e.DType);
        if (bytes.Length > 0)
        {
            t.bytes = bytes;
        }

        if (dtype is { } target && target != e.DType)
        {
            var converted = t.to_type(target);
            t.Dispose();
            t = converted;
        }

        if (device is not null && device.type != DeviceType.CPU)
        {
            var moved = t.to(device);
            t.Dispose();
            t = moved;
        }

        return t;
    }

    /// <summary>Reads a float32 tensor's values as a flat array (converting other float dtypes).</summary>
    /// <param name="name">Tensor name.</param>
    public float[] ReadFloats(string name)
    {
        using var scope = NewDisposeScope();
        var t = Read(name, ScalarType.Float32);
        return t.data<float>().ToArray();
    }

    /// <summary>The entry for <paramref name="name"/>; throws naming the file and listing near names when absent.</summary>
    /// <param name="name">Tensor name.</param>
    public SafetensorsEntry Get(string name)
    {
        if (Entries.TryGetValue(name, out var e))
        {
            return e;
        }

        throw new KeyNotFoundException($"{Path}: no tensor named '{name}' (the file holds {Entries.Count} tensors)");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Tensors mapped into keep the mapping alive; these handles only release this reader's reference.
        foreach (var mapping in _mappings.Values)
        {
            mapping.Dispose();
        }

        _mappings.Clear();
        _stream.Dispose();
    }
}

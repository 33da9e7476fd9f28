using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files (format versions 1–3, little-endian, C order) so that tensors can be
/// exchanged with Python tools. Pickled object arrays are refused: they can execute code and need a Python
/// class table; the error says to use a JSON or safetensors copy instead.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The longest header read (numpy writes a few hundred bytes; its own reader's default limit is 10,000).</summary>
    public const int MaxHeaderLength = 1 << 20;

    /// <summary>An array read from a .npy file.</summary>
    /// <param name="DType">Element type.</param>
    /// <param name="Shape">Shape (empty for a scalar).</param>
    /// <param name="Data">Raw little-endian element bytes, C order.</param>
    public sealed record Array(ScalarType DType, long[] Shape, byte[] Data)
    {
        /// <summary>Number of elements.</summary>
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);

        /// <summary>The values as doubles (any numeric dtype).</summary>
        public double[] ToDoubles()
        {
            var n = (int)Count;
            var result = new double[n];
            var span = Data.AsSpan();
            for (var i = 0; i < n; i++)
            {
                result[i] = DType switch
                {
                    ScalarType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]),
                    ScalarType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]),
                    ScalarType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(span[(i * 2)..]),
                    ScalarType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]),
                    ScalarType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]),
                    ScalarType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(span[(i * 2)..]),
                    ScalarType.Int8 => (sbyte)span[i],
                    ScalarType.Byte or ScalarType.Bool => span[i],
                    _ => throw new NotSupportedException($"dtype {DType}"),
                };
            }

            return result;
        }

        /// <summary>A new tensor (owned by the caller) holding the array.</summary>
        public Tensor ToTensor()
        {
            var t = empty(Shape, dtype: DType);
            if (Data.Length > 0)
            {
                t.bytes = Data;
            }

            return t;
        }
    }

    /// <summary>Reads <paramref name="path"/>; errors name the file and what is wrong.</summary>
    /// <param name="path">File path.</param>
    public static Array Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: .npy file not found", path);
        }

        // A stream, not File.ReadAllBytes: the header says how much to read, so a link to /dev/zero or a huge file
        // cannot make the reader allocate or read without bound.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        var prefix = new byte[12];
        var prefixLength = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (prefixLength < 10 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (missing the \\x93NUMPY magic)");
        }

        int major = prefix[6];
        long headerLength;
        int headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8));
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            if (prefixLength < 12)
            {
                throw new InvalidDataException($"{path}: truncated .npy header");
            }

            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{path}: unsupported .npy format version {major}");
        }

        if (headerLength > MaxHeaderLength)
        {
            throw new InvalidDataException($"{path}: .npy header length {headerLength} is more than {MaxHeaderLength} bytes");
        }

        if (headerStart + headerLength > length)
        {
            throw new InvalidDataException($"{path}: truncated .npy header (it says {headerLength} bytes, the file has {Math.Max(0, length - headerStart)} after the prefix)");
        }

        var bytes = new byte[headerStart + headerLength];
        prefix.AsSpan(0, Math.Min(prefixLength, bytes.Length)).CopyTo(bytes);
        stream.Position = Math.Min(prefixLength, bytes.Length);
        stream.ReadExactly(bytes, (int)stream.Position, bytes.Length - (int)stream.Position);
        var header = Encoding.Latin1.GetString(bytes, headerStart, (int)headerLength);
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"{path}: malformed .npy header '{header.Trim()}'");
        }

        var code = descr.Groups[1].Value;
        if (code.Contains('O', StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{path}: holds a pickled Python object array (dtype '{code}'), which is not read for safety; use the JSON copy of this data (for TPC-H: tpch_json/<size>/query_<q>.json)");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{path}: Fortran-ordered arrays are not supported");
        }

        var dtype = code switch
        {
            "<f8" => ScalarType.Float64,
            "<f4" => ScalarType.Float32,
            "<f2" => ScalarType.Float16,
            "<i8" => ScalarType.Int64,
            "<i4" => ScalarType.Int32,
            "<i2" => ScalarType.Int16,
            "|i1" => ScalarType.Int8,
            "|u1" => ScalarType.Byte,
            "|b1" => ScalarType.Bool,
            _ => throw new InvalidDataException($"{path}: unsupported .npy dtype '{code}' (supported: <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1)"),
        };
        var shape = ParseShape(path, shapeMatch.Groups[1].Value);
        var dataStart = headerStart + headerLength;
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => a * b) * TensorDType.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{path}: shape ({string.Join(", ", shape)}) of {code} has more than 2^63 bytes");
        }

        if (length - dataStart != expected)
        {
            throw new InvalidDataException($"{path}: shape ({string.Join(", ", shape)}) of {code} needs {expected} bytes of data but the file has {length - dataStart}");
        }

        if (expected > System.Array.MaxLength)
        {
            throw new InvalidDataException($"{path}: {expected} bytes of data are more than one array can hold ({System.Array.MaxLength}); split the array or use safetensors");
        }

        var data = new byte[expected];
        stream.ReadExactly(data);
        return new Array(dtype, shape, data);
    }

    private static long[] ParseShape(string path, string text)
    {
        var dims = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (!long.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new InvalidDataException($"{path}: .npy shape dimension {i} is '{dims[i]}', not a whole number from 0 to {long.MaxValue}");
            }
        }

        return shape;
    }

    /// <summary>Reads <paramref name="path"/> into a new tensor owned by the caller.</summary>
    /// <param name="path">File path.</param>
    public static Tensor ReadTensor(string path) => Read(path).ToTensor();

    /// <summary>Writes <paramref name="tensor"/> (borrowed) to <paramref name="path"/> atomically, format version 1.</summary>
    /// <param name="path">Destination.</param>
    /// <param name="tensor">Tensor to write (float32/64, int32/64, bool, uint8).</param>
    public static void Write(string path, Tensor tensor)
    {
        var code = tensor.dtype switch
        {
            ScalarType.Float64 => "<f8",
            ScalarType.Float32 => "<f4",
            ScalarType.Float16 => "<f2",
            ScalarType.Int64 => "<i8",
            ScalarType.Int32 => "<i4",
            ScalarType.Bool => "|b1",
            ScalarType.Byte => "|u1",
            _ => throw new NotSupportedException($"dtype {tensor.dtype} cannot be written to .npy"),
        };
        var shape = tensor.shape.Length switch
        {
            0 => "()",
            1 => $"({tensor.shape[0]},)",
            _ => "(" + string.Join(", ", tensor.shape) + ")",
        };
        var dict = $"{{'descr': '{code}', 'fortran_order': False, 'shape': {shape}, }}";
        var total = 10 + dict.Length + 1;
        var pad = (64 - (total % 64)) % 64;
        var header = dict + new string(' ', pad) + "\n";
        using var cpu = tensor.cpu();
        using var contiguous = cpu.contiguous();
        var data = contiguous.numel() == 0 ? [] : contiguous.bytes.ToArray();
        AtomicFile.Write(path, s =>
        {
            s.Write(Magic);
            s.WriteByte(1);
            s.WriteByte(0);
            Span<byte> len = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            s.Write(len);
            s.Write(Encoding.Latin1.GetBytes(header));
            s.Write(data);
        });
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

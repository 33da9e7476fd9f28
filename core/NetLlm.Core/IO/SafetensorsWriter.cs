using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace NetLlm.Core.IO;

/// <summary>Writes safetensors files atomically (a temporary file renamed into place).</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (borrowed, not disposed) to <paramref name="path"/>, sorted by name as
    /// the reference implementation does, with optional <c>__metadata__</c>.
    /// </summary>
    /// <param name="path">Destination file.</param>
    /// <param name="tensors">Tensors by name.</param>
    /// <param name="metadata">Optional string metadata.</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        // The header is computed from shapes and dtypes; tensor data is then streamed one tensor at a time, so writing a
        // multi-gigabyte checkpoint needs no managed copy of it.
        long offset = 0;
        foreach (var (name, tensor) in items)
        {
            var length = tensor.numel() * TensorDType.ElementSize(tensor.dtype);
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = TensorDType.ToSafetensors(tensor.dtype),
                ["shape"] = tensor.shape,
                ["data_offsets"] = new[] { offset, offset + length },
            };
            offset += length;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        var padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)headerBytes.Length);
            stream.Write(prefix);
            stream.Write(headerBytes);
            foreach (var (_, tensor) in items)
            {
                if (tensor.numel() == 0)
                {
                    continue;
                }

                using var cpu = tensor.device_type == DeviceType.CPU ? tensor.alias() : tensor.cpu();
                using var contiguous = cpu.contiguous();
                contiguous.WriteBytesToStream(stream);
            }
        });
    }
}

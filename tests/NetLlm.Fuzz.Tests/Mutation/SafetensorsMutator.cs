using System.Buffers.Binary;
using System.Text;

namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>
/// Damage to a safetensors file: its JSON header (dtypes, shapes, offsets, metadata), its 8-byte header length, the
/// tensor data (NaN, infinities) or the bytes as a whole.
/// </summary>
internal static class SafetensorsMutator
{
    /// <summary>A damaged copy of <paramref name="bytes"/> and what was done.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] bytes, Random random)
    {
        if (bytes.Length < 8)
        {
            return BinaryMutator.Mutate(bytes, random);
        }

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var data = bytes.AsSpan(8 + headerLength).ToArray();
        switch (random.Next(10))
        {
            case < 5:
                {
                    var (text, description) = JsonMutator.Mutate(header, random);
                    return (Assemble(Encoding.UTF8.GetBytes(text), data), "header: " + description);
                }

            case 5:
                {
                    var copy = bytes.ToArray();
                    var value = random.Next(3) switch { 0 => 0UL, 1 => 0xFFFFFFFFUL, _ => (ulong)(headerLength + 1 + random.Next(64)) };
                    BinaryPrimitives.WriteUInt64LittleEndian(copy, value);
                    return (copy, $"header length {headerLength} -> {value}");
                }

            case 6 when data.Length >= 4:
                {
                    // A non-finite float32 (or a float16/bfloat16 pair of NaN/Inf bytes) somewhere in the data.
                    var copy = bytes.ToArray();
                    var at = 8 + headerLength + (random.Next(data.Length / 4) * 4);
                    var pattern = random.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
                    BinaryPrimitives.WriteSingleLittleEndian(copy.AsSpan(at), pattern);
                    return (copy, $"{pattern} written at byte {at}");
                }

            default:
                {
                    var (damaged, description) = BinaryMutator.Mutate(bytes, random);
                    return (damaged, "bytes: " + description);
                }
        }
    }

    private static byte[] Assemble(byte[] header, byte[] data)
    {
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}

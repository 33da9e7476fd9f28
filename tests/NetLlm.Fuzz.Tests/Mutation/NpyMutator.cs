using System.Buffers.Binary;
using System.Text;

namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>
/// Damage to a .npy file: its header dictionary (dtype, shape, order), its header length, non-finite values in the
/// data, or the bytes as a whole.
/// </summary>
internal static class NpyMutator
{
    private static readonly string[] Dtypes = ["'<f4'", "'<f8'", "'<i4'", "'<i8'", "'|b1'", "'|u1'", "'>f4'", "'<f2'", "'O'", "'<U8'", "'<c8'"];

    /// <summary>A damaged copy of <paramref name="bytes"/> and what was done.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] bytes, Random random)
    {
        if (bytes.Length < 10 || bytes[6] != 1)
        {
            return BinaryMutator.Mutate(bytes, random);
        }

        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        var header = Encoding.Latin1.GetString(bytes, 10, Math.Min(headerLength, bytes.Length - 10));
        var data = bytes.AsSpan(Math.Min(10 + headerLength, bytes.Length)).ToArray();
        switch (random.Next(8))
        {
            case < 2:
                {
                    var start = header.IndexOf("'descr': ", StringComparison.Ordinal) + 9;
                    var end = header.IndexOf(',', start);
                    var dtype = Dtypes[random.Next(Dtypes.Length)];
                    return (Assemble(header[..start] + dtype + header[end..], data), $"dtype {header[start..end]} -> {dtype}");
                }

            case < 5:
                {
                    var (text, description) = TextMutator.Mutate(header, random);
                    return (Assemble(text, data), "header: " + description);
                }

            case 5:
                {
                    var copy = bytes.ToArray();
                    var value = (ushort)(random.Next(2) == 0 ? 0xFFFF : random.Next(0, headerLength));
                    BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(8), value);
                    return (copy, $"header length {headerLength} -> {value}");
                }

            case 6 when data.Length >= 4 && header.Contains("<f4", StringComparison.Ordinal):
                {
                    var copy = bytes.ToArray();
                    var at = 10 + headerLength + (random.Next(data.Length / 4) * 4);
                    var value = random.Next(2) == 0 ? float.NaN : float.PositiveInfinity;
                    BinaryPrimitives.WriteSingleLittleEndian(copy.AsSpan(at), value);
                    return (copy, $"{value} written at byte {at}");
                }

            default:
                {
                    var (damaged, description) = BinaryMutator.Mutate(bytes, random);
                    return (damaged, "bytes: " + description);
                }
        }
    }

    private static byte[] Assemble(string header, byte[] data)
    {
        var headerBytes = Encoding.Latin1.GetBytes(header);
        var result = new byte[10 + headerBytes.Length + data.Length];
        result[0] = 0x93;
        "NUMPY"u8.CopyTo(result.AsSpan(1));
        result[6] = 1;
        result[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)Math.Min(headerBytes.Length, ushort.MaxValue));
        headerBytes.CopyTo(result, 10);
        data.CopyTo(result, 10 + headerBytes.Length);
        return result;
    }
}

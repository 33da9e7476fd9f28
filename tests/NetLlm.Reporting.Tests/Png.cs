using System.Buffers.Binary;

namespace NetLlm.Reporting.Tests;

/// <summary>Reads what the tests check of a PNG file: the signature, the IHDR size and the IEND trailer.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height of a valid PNG; throws naming the file otherwise.</summary>
    public static (int Width, int Height) Size(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 33 || !bytes.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException($"{path}: not a PNG (bad signature)");
        }

        if (!bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new InvalidDataException($"{path}: first chunk is not IHDR");
        }

        if (!bytes.AsSpan(bytes.Length - 8, 4).SequenceEqual("IEND"u8))
        {
            throw new InvalidDataException($"{path}: no IEND chunk at the end (truncated)");
        }

        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}

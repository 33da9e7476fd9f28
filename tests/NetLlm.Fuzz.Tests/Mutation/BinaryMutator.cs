namespace NetLlm.Fuzz.Tests.Mutation;

/// <summary>Byte-level damage: flipped, zeroed or saturated bytes, truncation, insertion, duplication, emptiness.</summary>
internal static class BinaryMutator
{
    /// <summary>A damaged copy of <paramref name="bytes"/> and what was done.</summary>
    public static (byte[] Bytes, string Description) Mutate(byte[] bytes, Random random)
    {
        var data = bytes.ToList();
        switch (random.Next(7))
        {
            case 0:
                {
                    var n = 1 + random.Next(8);
                    for (var i = 0; i < n && data.Count > 0; i++)
                    {
                        data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
                    }

                    return ([.. data], $"{n} bit flips");
                }

            case 1:
                {
                    var at = random.Next(Math.Max(1, data.Count));
                    var value = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    var n = Math.Min(1 + random.Next(16), data.Count - at);
                    for (var i = 0; i < n; i++)
                    {
                        data[at + i] = value;
                    }

                    return ([.. data], $"{n} bytes set to 0x{value:X2} at {at}");
                }

            case 2:
                {
                    var length = random.Next(Math.Max(1, data.Count));
                    return ([.. data.Take(length)], $"truncated to {length} of {bytes.Length} bytes");
                }

            case 3:
                {
                    var at = random.Next(data.Count + 1);
                    var extra = new byte[1 + random.Next(64)];
                    random.NextBytes(extra);
                    data.InsertRange(at, extra);
                    return ([.. data], $"{extra.Length} random bytes inserted at {at}");
                }

            case 4:
                {
                    var at = random.Next(Math.Max(1, data.Count));
                    var n = Math.Min(1 + random.Next(256), data.Count - at);
                    data.InsertRange(at, data.GetRange(at, n));
                    return ([.. data], $"{n} bytes at {at} duplicated");
                }

            case 5:
                return ([], "empty file");

            default:
                {
                    var extra = new byte[1 + random.Next(32)];
                    random.NextBytes(extra);
                    data.AddRange(extra);
                    return ([.. data], $"{extra.Length} random bytes appended");
                }
        }
    }
}

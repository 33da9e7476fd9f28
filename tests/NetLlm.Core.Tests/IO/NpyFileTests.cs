using System.Buffers.Binary;
using System.Text;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Core.Tests.IO;

/// <summary>Malformed .npy headers that used to crash with a stack trace or pass a wrong size (issue 15).</summary>
public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteThenRead_RoundTripsShapeDtypeAndValues()
    {
        var path = Path.Combine(_dir, "a.npy");
        using (var a = arange(6, dtype: ScalarType.Int64).reshape(2, 3))
        {
            NpyFile.Write(path, a);
        }

        var array = NpyFile.Read(path);
        Assert.Equal(ScalarType.Int64, array.DType);
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal(new double[] { 0, 1, 2, 3, 4, 5 }, array.ToDoubles());
    }

    [Theory]
    [InlineData("(1, -3)", 0, "shape dimension 1 is '-3', not a whole number")]
    [InlineData("(99999999999999999999, 2)", 0, "shape dimension 0 is '99999999999999999999', not a whole number")]
    [InlineData("(9223372036854775807, 9223372036854775807)", 0, "has more than 2^63 bytes")]
    [InlineData("(1, 4611686018427387904)", 0, "has more than 2^63 bytes")]
    [InlineData("(1, 3)", 16, "needs 24 bytes of data but the file has 16")]
    public void Read_BadShapes_AreRefusedNamingTheFile(string shape, int dataBytes, string expected)
    {
        var path = Write("bad.npy", shape, new byte[dataBytes]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(path));
        Assert.StartsWith($"{path}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderLengthBeyondTheLimitOrTheFile_IsRefusedBeforeReading()
    {
        var huge = Write("huge.npy", "(1, 3)", new byte[24], headerLength: uint.MaxValue);
        Assert.Equal($"{huge}: .npy header length {uint.MaxValue} is more than {NpyFile.MaxHeaderLength} bytes", Assert.Throws<InvalidDataException>(() => NpyFile.Read(huge)).Message);
        var longer = Write("longer.npy", "(1, 3)", [], headerLength: 4096);
        Assert.StartsWith($"{longer}: truncated .npy header", Assert.Throws<InvalidDataException>(() => NpyFile.Read(longer)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeviceThatNeverEnds_IsNotReadWithoutBound()
    {
        Assert.True(File.Exists("/dev/zero"), "the test machine has /dev/zero (Linux CI)");
        var link = Path.Combine(_dir, "zero.npy");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.Equal($"{link}: not a .npy file (missing the \\x93NUMPY magic)", Assert.Throws<InvalidDataException>(() => NpyFile.Read(link)).Message);
    }

    private string Write(string name, string shape, byte[] data, uint? headerLength = null)
    {
        var dict = $"{{'descr': '<i8', 'fortran_order': False, 'shape': {shape}, }}";
        var header = Encoding.Latin1.GetBytes(dict + new string(' ', (64 - ((dict.Length + 13) % 64)) % 64) + "\n");
        var path = Path.Combine(_dir, name);
        using var s = File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0]);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, headerLength ?? (uint)header.Length);
        s.Write(length);
        s.Write(header);
        s.Write(data);
        return path;
    }
}

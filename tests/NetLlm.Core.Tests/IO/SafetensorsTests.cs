using System.Buffers.Binary;
using System.Text;
using NetLlm.Core.IO;
using static TorchSharp.torch;

namespace NetLlm.Core.Tests.IO;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteThenRead_RoundTripsValuesShapesAndDtypes()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        using var a = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        using var b = tensor(new long[] { 5, -7 });
        using var c = full(2, 2, 1.5f, dtype: ScalarType.BFloat16);
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["w"] = a, ["ids"] = b, ["half"] = c }, new Dictionary<string, string> { ["format"] = "pt" });

        using var f = SafetensorsFile.Open(path);
        Assert.Equal(3, f.Entries.Count);
        Assert.Equal("pt", f.Metadata["format"]);
        using var ra = f.Read("w");
        Assert.Equal(new long[] { 3, 4 }, ra.shape);
        Assert.Equal(11f, ra[2, 3].item<float>());
        using var rb = f.Read("ids");
        Assert.Equal(ScalarType.Int64, rb.dtype);
        Assert.Equal(-7L, rb[1].item<long>());
        using var rc = f.Read("half", ScalarType.Float32);
        Assert.Equal(1.5f, rc[1, 1].item<float>());
    }

    [Fact]
    public void Open_TruncatedFile_NamesFileAndTensor()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        using var a = ones(64, 64);
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["layer.weight"] = a });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);

        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("layer.weight", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_OverlappingOffsets_IsRejected()
    {
        var path = Path.Combine(_dir, "o.safetensors");
        WriteRaw(path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("overlaps", e.Message);
    }

    [Fact]
    public void Open_HeaderLengthBeyondFile_IsRejected()
    {
        var path = Path.Combine(_dir, "h.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("exceeds the file", e.Message);
    }

    [Fact]
    public void Open_SizeDisagreesWithShape_IsRejected()
    {
        var path = Path.Combine(_dir, "s.safetensors");
        WriteRaw(path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("needs 12 bytes", e.Message);
    }

    [Fact]
    public void Open_UnknownDtype_IsRejected()
    {
        var path = Path.Combine(_dir, "d.safetensors");
        WriteRaw(path, "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", 8);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("unsupported dtype 'F8_E4M3'", e.Message);
    }

    private static void WriteRaw(string path, string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}

using NetLlm.Core.IO;

namespace NetLlm.Core.Tests.IO;

/// <summary>Data files are read whole but never beyond a limit (a link to /dev/zero used to read without end).</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netllm-bounded-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadLines_AtTheLimit_ReadsLikeFileReadLines()
    {
        var path = Path.Combine(_dir, "ok.txt");
        File.WriteAllText(path, "a\r\nb\n\nc\n");
        Assert.Equal(File.ReadLines(path), BoundedFile.ReadLines(path, 9, "test"));
        Assert.Empty(BoundedFile.ReadLines(Empty(), 1, "test"));
    }

    [Fact]
    public void LargerFileOrEndlessDevice_IsRefusedNamingTheFile()
    {
        var path = Path.Combine(_dir, "big.txt");
        File.WriteAllText(path, "0123456789");
        Assert.Equal($"{path}: larger than 9 bytes (ten digits), or a device that never ends", Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 9, "ten digits")).Message);
        Assert.Equal(10, BoundedFile.ReadAllBytes(path, 10, "ten digits").Length);
        Assert.True(File.Exists("/dev/zero"), "the test machine has /dev/zero (Linux CI)");
        var link = Path.Combine(_dir, "zero");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.StartsWith($"{link}: larger than 4096 bytes", Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllText(link, 4096, "x")).Message, StringComparison.Ordinal);
    }

    private string Empty()
    {
        var path = Path.Combine(_dir, "empty.txt");
        File.WriteAllText(path, string.Empty);
        return path;
    }
}

using NetLlm.Baselines.Bba;
using NetLlm.Tasks.AdaptiveBitrate.Results;
using NetLlm.Testing;

namespace NetLlm.Tasks.AdaptiveBitrate.Tests;

public sealed class ResultsWriterTests
{
    [DataFact("abr", SharedFixtures = ["abr-upstream/bba/" + AbrTestData.LastResultFile])]
    public void BbaResultFiles_AreByteIdenticalToTheOriginals()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var run = AbrTestData.Run(env, new BbaPolicy(), env.TraceCount);
        using var dir = new TempDirectory();
        var written = AbrResultsWriter.Write(dir.Path, run.Traces);
        Assert.Equal(100, written.Count);
        var differing = written
            .Where(p => File.ReadAllText(p) != File.ReadAllText(Path.Combine(AbrTestData.Fixture("bba"), Path.GetFileName(p))))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(differing);
    }

    [Fact]
    public void Write_WithoutRecordedChunks_Throws()
    {
        using var env = AbrTestData.DefaultEnvironment();
        var run = AbrTestData.Run(env, new BbaPolicy(), 1, recordChunks: false);
        using var dir = new TempDirectory();
        Assert.Throws<InvalidOperationException>(() => AbrResultsWriter.Write(dir.Path, run.Traces));
    }
}

using NetLlm.Testing;

namespace NetLlm.Cli.Tests;

/// <summary>
/// A netllm.json found in the working directory (for example in a checkout just cloned) cannot choose which plugin
/// code runs; the same file passed with --config can. Runs the real executable, whose entry point reads the config.
/// </summary>
public sealed class PluginTrustTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int Exit, string Out, string Error) Netllm(params string[] args) => NetllmProcess.Run(_dir.Path, TimeSpan.FromMinutes(1), args);

    [Fact]
    public void PluginsDirOfAConfigFoundInTheWorkingDirectory_IsIgnoredUnlessPassedExplicitly()
    {
        var hostile = Directory.CreateDirectory(Path.Combine(_dir.Path, "hostile-plugins")).FullName;
        var config = _dir.File("netllm.json", """{"pluginsDir": "hostile-plugins"}""");

        var found = Netllm("plugins");
        Assert.Equal(0, found.Exit);
        Assert.Contains($"warning: ignoring pluginsDir 'hostile-plugins' of {config}", found.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(hostile, found.Out, StringComparison.Ordinal);
        Assert.Contains("task.abr", found.Out, StringComparison.Ordinal);

        var passed = Netllm("plugins", "--config", config);
        Assert.Equal(0, passed.Exit);
        Assert.Contains($"Plugin roots: {hostile}", passed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("ignoring pluginsDir", passed.Error, StringComparison.Ordinal);
    }
}
